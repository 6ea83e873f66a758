"""The buttons of joining and of a person's own data, each named once."""

from bot.callbacks import Route

JOIN_LANGUAGE = Route("jl")
JOIN_NAME = Route("jn")
JOIN_STAFF = Route("js")
LANGUAGE = Route("lang")
RENAME = Route("me.name")
LEAVE = Route("leave")
LEAVE_YES = Route("leave.yes")
LEAVE_NO = Route("leave.no")
MOVE = Route("move")
STAY = Route("stay")
LEAD = Route("lead")
NO_LEAD = Route("nolead")
