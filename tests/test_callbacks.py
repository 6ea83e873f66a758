"""Signed button data."""

from __future__ import annotations

import pytest

from bot.callbacks import Route, Signer, Tap


def test_a_button_verifies_only_for_the_person_it_was_issued_to() -> None:
    signer = Signer(b"k" * 32)
    data = signer.pack(42, Route("tm"), 7, 0)
    assert signer.unpack(42, data) == Tap("tm", ("7", "0"))
    assert signer.unpack(43, data) is None
    assert Signer(b"x" * 32).unpack(42, data) is None


@pytest.mark.parametrize("forged", ["tm:7:0", "tm:8:0~" + "A" * 8, "", "~", "tm:7:0~", "💥"])
def test_forged_or_altered_data_is_refused(forged: str) -> None:
    signer = Signer(b"k" * 32)
    genuine = signer.pack(42, Route("tm"), 7, 0)
    assert signer.unpack(42, forged) is None
    assert signer.unpack(42, genuine.replace("tm:7", "tm:8")) is None


def test_data_fits_telegrams_64_bytes_or_is_refused_early() -> None:
    signer = Signer(b"k" * 32)
    assert len(signer.pack(2**40, Route("tmlas"), 2**31, 2**31).encode()) <= 64
    with pytest.raises(ValueError, match="over 64 bytes"):
        signer.pack(1, Route("x" * 60))
    with pytest.raises(ValueError, match="may not contain"):
        signer.pack(1, Route("tm"), "a:b")


def test_routes_do_not_swallow_longer_routes() -> None:
    import re

    signer = Signer(b"k" * 32)
    assert re.match(Route("tm").pattern, signer.pack(1, Route("tm"), 3))
    assert not re.match(Route("tm").pattern, signer.pack(1, Route("tmm"), 3, 0))
    assert re.match(Route("noop").pattern, signer.pack(1, Route("noop")))


def test_a_route_name_is_safe_for_button_data() -> None:
    for bad in ("", "a:b", "a~b", "路由"):
        with pytest.raises(ValueError, match="route name"):
            Route(bad)
