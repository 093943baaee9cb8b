# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filter subid_line: the /etc/subuid (or /etc/subgid) line a rootless Podman user lacks.

Documented in subid_line.yml beside this file."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# where useradd starts giving ranges (login.defs SUB_UID_MIN) and how many ids each user gets
SUBID_MIN = 100000
SUBID_COUNT = 65536


def subid_ranges(content):
    """(user, start, count) of every well-formed line."""
    ranges = []
    for line in (content or '').splitlines():
        fields = line.strip().split(':')
        if len(fields) == 3 and fields[1].isdigit() and fields[2].isdigit():
            ranges.append((fields[0], int(fields[1]), int(fields[2])))
    return ranges


def subid_line(content, user, count=SUBID_COUNT):
    """'' when user has a range of at least count ids, else the line giving it the next
    free range after every other."""
    ranges = subid_ranges(content)
    if any(name == user and size >= count for name, _start, size in ranges):
        return ''
    start = max([SUBID_MIN] + [first + size for name, first, size in ranges if name != user])
    return '%s:%d:%d' % (user, start, count)


class FilterModule(object):
    def filters(self):
        return {'subid_line': subid_line}
