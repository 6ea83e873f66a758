"""The buttons of policy questions, each named once. Arguments follow the name in the data."""

from bot.callbacks import Route

# A worker's answer, "did you mean", and the question with no answer.
SHOW = Route("fs")  # entry id: show this entry's answer
VOTE = Route("fv")  # entry id, 1 👍 / 0 👎
NONE = Route("fn")  # none of the suggestions is it
ASK_ADMINS = Route("fh")  # pass the question on, with my name
ASK_ANONYMOUSLY = Route("fa")  # pass it on through the anonymous messages
DROP = Route("fx")  # no thanks

# The admins' side.
QUESTIONS = Route("fq")  # page: questions passed on, not answered yet
QUESTION = Route("fqo")  # hand-off
ANSWER = Route("fqa")  # hand-off: type the answer
LEARN_ENTRY = Route("fql")  # hand-off: make its answer a new FAQ entry
LEARN_PHRASING = Route("fqp")  # hand-off, entry id: make the question a phrasing of the entry
GAPS = Route("fg")  # page: what had no good answer
