"""The store: one open database (``storage``), its tables and their migrations through
peewee (``orm``, ``models``, ``migrations``), and every hand-written statement
(``plain_sql``) with what it shares with the fast paths (``schema``, ``locations``).

Empty on purpose: verify's process imports the package on its way to ``plain_sql``.
"""
