"""Nothing of performance is edited in the admin: every record is written by a service with its timeline entry."""
