"""Values several unit test files share. Imported as
ansible_collections.federated.vpn.tests.unit.constants, which works both under plain pytest
(conftest.py puts .collections on sys.path) and under ansible-test units (where conftest.py
cannot be imported by name)."""

# RFC 7748 section 6.1 (Alice): X25519 private and public key.
RFC7748_PRIVATE = 'dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo='
RFC7748_PUBLIC = 'hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo='
