"""subid_line: the subordinate id range a rootless Podman user lacks."""
import pytest

from ansible_collections.federated.vpn.plugins.filter.podman import subid_line


@pytest.mark.parametrize('content, line', [
    ('', 'fvpn:100000:65536'),
    ('alice:100000:65536\n', 'fvpn:165536:65536'),
    ('alice:100000:65536\nbob:300000:65536\n', 'fvpn:365536:65536'),
    ('fvpn:100000:65536\n', ''),
    ('alice:100000:65536\nfvpn:165536:70000\n', ''),
    # a range too small for an image's users (Fed-BioMed's is 2101) is replaced by a full one
    ('fvpn:100000:1000\n', 'fvpn:100000:65536'),
    ('# comment\nbroken line\nalice:x:1\n', 'fvpn:100000:65536'),
])
def test_subid_line(content, line):
    assert subid_line(content, 'fvpn') == line
