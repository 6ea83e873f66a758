"""The buttons of pre-shift study, each named once. Arguments follow the name in the data."""

from bot.callbacks import Route

# A worker's session message, edited at every step.
BEGIN = Route("psb")  # session
CARD_READ = Route("psr")  # session
ANSWER = Route("psa")  # session, position (from 1), option as shown (from 0)
MOOD = Route("psm")  # session, mood (5 😀 … 1 😞)

# The team leader's pre-shift screens.
TEAMS = Route("pst")  # page: the teams a leader (or an admin) can run sessions for
TEAM = Route("ps")  # team
START = Route("pss")  # team
STATUS = Route("psv")  # session
CLOSE = Route("psc")  # session
EXTEND = Route("pse")  # session
NUDGE = Route("psn")  # session
IN_PERSON = Route("psp")  # session, page: who has not taken part yet
MARK_PRESENT = Route("psx")  # session, member, page

# Shift schedules, set up with taps; the choices so far travel in the button data.
SCHEDULES = Route("psh")  # team
SCHEDULE_DAYS = Route("psd")  # team, weekdays bitmask
SCHEDULE_HOUR = Route("psdh")  # team, weekdays
SCHEDULE_MINUTE = Route("psdm")  # team, weekdays, hour
SCHEDULE_LEAD = Route("psdl")  # team, weekdays, hour, minute
SCHEDULE_SAVE = Route("psds")  # team, weekdays, hour, minute, lead minutes
SCHEDULE_REMOVE = Route("psdx")  # schedule

# A team's group chat.
LINK_GROUP = Route("psg")  # team
UNLINK_GROUP = Route("psgx")  # team
