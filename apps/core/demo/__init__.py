"""The reference district (Tây Hòa) as demo data: ``tables`` holds the hand-written facts,
``generator`` invents the rest deterministically, ``loader`` writes what is missing.

Nothing outside this package knows about Tây Hòa: another district loads its own data.
"""
