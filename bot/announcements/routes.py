"""The buttons of announcements, each named once. Arguments follow the name in the data."""

from bot.callbacks import Route

# The admins' list and one announcement.
LIST = Route("al")  # page
OPEN = Route("ao")  # announcement id
UNREAD = Route("au")  # announcement id, page: who has not acknowledged
RECALL_ASK = Route("ar")  # announcement id
RECALL = Route("ary")  # announcement id: yes, delete it everywhere
CANCEL_SCHEDULED = Route("ac")  # announcement id: a scheduled one will not go

# The composer (the draft is the admin's own, in their dialog data).
NEW = Route("an")
DRAFT = Route("ad")  # back to the draft
AUDIENCE = Route("aa")  # choose who gets it
AUDIENCE_SET = Route("aas")  # kind[, language]: everyone, temporary staff, a language
AUDIENCE_LIST = Route("aal")  # kind ("workshops" / "teams"), page
AUDIENCE_PICK = Route("aap")  # kind, id, page: tick or untick one
ACK = Route("ak")  # ask for acknowledgement, or not
PIN = Route("ap")  # pin in the linked team groups, or not
NOW = Route("aw")  # send now instead of later
PREVIEW = Route("av")
SEND = Route("as")  # confirmed
DISCARD = Route("ax")

# Entry points of the typed steps (dialogs).
VARIANT = Route("at")  # locale: type the text for readers of that language
LATER = Route("ae")  # type when to send
CORRECT = Route("aco")  # announcement id: type the corrected text

# The recipient's button.
READ = Route("ard")  # announcement id: "I have read it"
