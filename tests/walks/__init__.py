"""Each regulation walked end to end over the REST API alone (API.md: transitions and actions)."""
