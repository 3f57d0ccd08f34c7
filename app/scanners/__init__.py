"""Plugins that teach existing secret scanners to recognise deployment tokens."""
