"""The buttons of anonymous concerns, each named once. Arguments follow the name in the data.

No button carries anything about the worker: a reply key's button carries the
concern's random id and the key itself, and is signed for the chat it was sent to.
"""

from bot.callbacks import Route

# Raising one (the draft is in memory; these taps after a restart say it was lost).
ABOUT = Route("cab")  # how it stays anonymous
CATEGORY = Route("cac")  # category position (from 0)
SEND = Route("cas")
NOTIFY = Route("can")  # toggles "tell me when there is an answer"
REMOVE = Route("car")  # toggles "remove my message from this chat"
REWRITE = Route("caw")
CANCEL = Route("cax")

# The reply key (🧾) and the thread behind it.
THREAD = Route("cr")  # concern, key
ADD = Route("cra")  # concern, key
WATCH = Route("crn")  # concern, key: tell me about the next answer

# The admins' inbox.
INBOX = Route("ib")  # status (index, 9 = all), category (index, 99 = all), days code, page
OPEN = Route("ibo")  # concern, then the list's four arguments to go back to
ANSWER = Route("iba")  # concern
SET_STATUS = Route("ibs")  # concern, status index
