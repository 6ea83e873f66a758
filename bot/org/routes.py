"""The buttons of the admin panel and the leader's team view, each named once.

Arguments follow the name in the button's data, e.g. `tmm:<team>:<page>`.
"""

from bot.callbacks import Route

ADMIN_HOME = Route("adm")
MY_TEAMS = Route("mtl")  # page: the teams a leader leads

WORKSHOPS = Route("wsl")  # page
WORKSHOP = Route("ws")  # workshop, page of its teams
NEW_WORKSHOP = Route("wsn")
RENAME_WORKSHOP = Route("wsr")  # workshop
CLOSE_WORKSHOP_ASK = Route("wsa")  # workshop
CLOSE_WORKSHOP = Route("wsax")  # workshop

TEAM = Route("tm")  # team
NEW_TEAM = Route("tmn")  # workshop
RENAME_TEAM = Route("tmr")  # team
CLOSE_TEAM_ASK = Route("tma")  # team
CLOSE_TEAM = Route("tmax")  # team
MEMBERS = Route("tmm")  # team, page
INVITE = Route("tmi")  # team
NEW_INVITE_ASK = Route("tmin")  # team
NEW_INVITE = Route("tminx")  # team
CANCEL_INVITE_ASK = Route("tmix")  # team
CANCEL_INVITE = Route("tmixx")  # team

LEADERS = Route("tml")  # team, page
PICK_LEADER = Route("tmla")  # team, page
ASSIGN_LEADER = Route("tmlas")  # member, team
REMOVE_LEADER = Route("tmlr")  # member, team
LEADER_INVITE = Route("tmlv")  # team

MEMBER = Route("mb")  # member, where from (a team's id, or -n for page n of search results)
SET_LEADER = Route("mbl")  # member, where from, 1 or 0
SET_TEMPORARY = Route("mbt")  # member, where from, 1 or 0
SET_ADMIN = Route("mba")  # member, where from, 1 or 0
REMOVE_MEMBER_ASK = Route("mbx")  # member, team
REMOVE_MEMBER = Route("mbxx")  # member, team

ADMINS = Route("adl")  # page
REMOVE_ADMIN = Route("adx")  # member

FIND = Route("fd")
FIND_PAGE = Route("fdp")  # page
