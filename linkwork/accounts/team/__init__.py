"""Teams run themselves: invitations, team caseloads, reassignment, new organisations.

Who may invite whom is data (`roles.INVITES`, `roles.FIRST_MEMBER_INVITES`); the
invitation link is one-use and expiring, and only its digest is stored. Accepting ends
at the normal sign-in, so whatever sign-in asks of a new account (MFA enrolment) happens
there and nowhere else.
"""
