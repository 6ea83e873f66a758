"""Workshops, teams, leaders and admins: the organisation, managed from inside the bot."""
