# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller side of federated.vpn.archive_check (documented in plugins/modules/archive_check.py).

An action plugin: the archive may be vault-encrypted, and only the controller holds the
run's vault secrets. It is read and decrypted in memory; nothing is written anywhere.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io
import os
import tarfile
import zlib

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_native
from ansible.parsing.vault import VaultLib, is_encrypted
from ansible.plugins.action import ActionBase

ARGUMENT_SPEC = dict(
    src=dict(type='path', required=True),
    members=dict(type='list', elements='str', required=True),
    required=dict(type='list', elements='str', default=[]),
)
VAULT_OPTIONS = '--ask-vault-pass, --vault-password-file FILE or ANSIBLE_VAULT_PASSWORD_FILE'


class ArchiveError(ValueError):
    """What is wrong with the archive, in words that never quote its content."""


def member_problem(member, allowed):
    """Why member may not be unpacked, or None."""
    parts = member.name.split('/')
    if member.name.startswith('/') or '..' in parts:
        return 'member %r points outside the archive' % member.name
    if member.issym() or member.islnk():
        return 'member %r is a link, not a regular file' % member.name
    if not member.isreg():
        return 'member %r is not a regular file' % member.name
    if member.name not in allowed:
        return 'member %r is not one of %s' % (member.name, ', '.join(allowed))
    return None


def check_tar(data, allowed, required):
    """Names of the members of the tar archive (compressed or not) in data; raise ArchiveError."""
    names = []
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode='r:*') as archive:
            for member in archive:
                problem = member_problem(member, allowed)
                if problem:
                    raise ArchiveError(problem)
                if member.name in names:
                    raise ArchiveError('member %r appears twice' % member.name)
                names.append(member.name)
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise ArchiveError('is not a readable tar archive (%s)' % to_native(exc))
    missing = [name for name in required if name not in names]
    if missing:
        raise ArchiveError('lacks %s' % ', '.join(missing))
    return sorted(names)


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        src = os.path.abspath(os.path.expanduser(args['src']))
        result.update(src=src, changed=False)
        try:
            data, result['encrypted'] = self._plain_bytes(src)
            result['members'] = check_tar(data, args['members'], args['required'])
        except ArchiveError as exc:
            return dict(result, failed=True, msg=to_native(exc))
        return result

    def _plain_bytes(self, src):
        if not os.path.isfile(src):
            raise ArchiveError('no such file on the controller')
        try:
            with open(src, 'rb') as handle:
                data = handle.read()
        except OSError as exc:
            raise ArchiveError('cannot be read (%s)' % exc.strerror)
        if not is_encrypted(data):
            return data, False
        secrets = self._loader._vault.secrets
        if not secrets:
            raise ArchiveError('is vault-encrypted, and this run has no vault password: give the one it was '
                               'made with (%s)' % VAULT_OPTIONS)
        try:
            return VaultLib(secrets).decrypt(data), True
        except AnsibleError:
            raise ArchiveError('is vault-encrypted, and this run\'s vault password does not decrypt it: give the '
                               'one it was made with (%s)' % VAULT_OPTIONS)
