# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""federation_name: the optional inventory variable naming the federation, the prefix of
its container names and the value of its Docker label. One inventory is one federation,
so every host must have the same name; a host that does not set it has the default.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

FEDERATION_VAR = 'federation_name'
FEDERATION_DEFAULT = 'fbm'  # roles/federation/defaults/main.yml (hostvars lack role defaults)
FEDERATION_NAME_RE = re.compile(r'[a-z0-9][a-z0-9-]{0,31}')  # matched in full
_MISSING = object()


def is_valid_federation_name(value):
    return isinstance(value, str) and FEDERATION_NAME_RE.fullmatch(value) is not None


def check_federation_name(hosts, hostvars, server, server_value, errors):
    """Each host's federation_name must be valid and equal the server's.

    server_value is the server's as its role sees it (None: it sets none).
    """
    values = []
    for host in hosts:
        value = hostvars[host].get(FEDERATION_VAR, _MISSING)
        if host == server and server_value is not None:
            value = server_value
        values.append((host, FEDERATION_DEFAULT if value is _MISSING else value))
    for host, value in values:
        if not is_valid_federation_name(value):
            errors.append("%s: %s %r must be 1-32 characters of lowercase letters, digits or '-', starting "
                          "with a letter or digit" % (host, FEDERATION_VAR, value))
    reference = dict(values).get(server, FEDERATION_DEFAULT if server_value is None else server_value)
    if server is None or not is_valid_federation_name(reference):
        return
    for host, value in values:
        if host != server and is_valid_federation_name(value) and value != reference:
            errors.append('%s: %s %r differs from %r on %s (one inventory is one federation)'
                          % (host, FEDERATION_VAR, value, reference, server))
