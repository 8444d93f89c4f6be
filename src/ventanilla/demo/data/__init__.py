"""Data tables of the demo deployment, kept apart from the code that loads them."""
