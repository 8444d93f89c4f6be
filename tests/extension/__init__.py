"""A test-only app that adds a capability the way a new domain app would: an effect, a field
type and case-event handlers, through the registries alone (installed by tests/settings.py)."""
