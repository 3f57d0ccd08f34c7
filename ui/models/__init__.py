"""Qt item models over the service's records; each is checked by qtmodeltester."""
