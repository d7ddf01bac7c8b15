"""The commons: partner teams, memberships and roles, public tips, change proposals and review,
and the audit log of sensitive actions."""
