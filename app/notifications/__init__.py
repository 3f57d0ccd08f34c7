"""Events that reach people: expiry warnings and leak revocations by e-mail, every audit
event to webhooks, each sent by ``deployment-tokens notify``.

Pure and free of the store: what an address or a URL may be (``addresses``), the
warning thresholds (``thresholds``), what is sent (``items``, ``digest``), and the two
channels (``smtp``, ``webhooks``). The use case that reads the database, records what was
sent and moves each target's cursors is ``app.use_cases.notifications``.
"""
