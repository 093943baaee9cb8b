# -*- coding: utf-8 -*-
# Copyright: federated.vpn contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller side of federated.vpn.vault_save (documented in plugins/modules/vault_save.py).

An action plugin, not a module: only the controller holds the run's vault secrets, and
modules never see them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import os

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_bytes, to_native
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.parsing.vault import VaultLib, is_encrypted, match_encrypt_secret
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

# mode 0600 before any byte is written, renamed over the target: never a readable half
from ansible_collections.federated.vpn.plugins.module_utils.wireguard import atomic_write

display = Display()

ARGUMENT_SPEC = dict(
    dest=dict(type='path', required=True),
    content=dict(type='str', no_log=True),
    src=dict(type='path'),
    encrypt=dict(type='raw', default='auto'),
    encrypt_option=dict(type='str', default='encrypt'),
)
HOW_TO_ENCRYPT = ('give the run a vault password (--vault-password-file FILE, --ask-vault-pass or '
                  'ANSIBLE_VAULT_PASSWORD_FILE)')


def encrypt_choice(value, option):
    """'auto', True or False from a task argument or an -e string."""
    if isinstance(value, str) and value.strip().lower() == 'auto':
        return 'auto'
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise ValueError('%s must be auto, true or false, not %r' % (option, value))


def make_parents(directory):
    """Create the missing directories above a file, mode 0700; existing ones are not touched."""
    missing = []
    while directory and not os.path.isdir(directory):
        missing.append(directory)
        directory = os.path.dirname(directory)
    for path in reversed(missing):
        os.mkdir(path, 0o700)
        # mkdir's mode is filtered by the umask; the archive's directory must be private anyway
        os.chmod(path, 0o700)
    return list(reversed(missing))


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(
            argument_spec=ARGUMENT_SPEC, mutually_exclusive=[('content', 'src')], required_one_of=[('content', 'src')])
        dest = os.path.abspath(os.path.expanduser(args['dest']))
        result.update(dest=dest, changed=False)
        option = args['encrypt_option']
        try:
            choice = encrypt_choice(args['encrypt'], option)
            data = self._read(args)
        except ValueError as exc:
            return dict(result, failed=True, msg=to_native(exc))
        secrets = self._loader._vault.secrets
        if choice is True and not secrets:
            return dict(result, failed=True,
                        msg='%s=true, but this run has no vault password: %s. Nothing was written.'
                        % (option, HOW_TO_ENCRYPT))
        if os.path.isdir(dest):
            return dict(result, failed=True, msg='%s is a directory. Nothing was written.' % dest)
        encrypt = bool(secrets) and choice is not False
        result['encrypted'] = encrypt
        if encrypt:
            try:
                # as ansible-vault encrypt: vault_encrypt_identity if set, else the first secret
                vault_id, secret = match_encrypt_secret(secrets, C.DEFAULT_VAULT_ENCRYPT_IDENTITY)
                data = VaultLib(secrets).encrypt(data, secret=secret, vault_id=vault_id)
            except AnsibleError as exc:
                return dict(result, failed=True,
                            msg='cannot encrypt: %s. Nothing was written.' % to_native(exc.message))
        elif choice == 'auto':
            display.warning('%s is written unencrypted: this run has no vault password. To encrypt it, %s; '
                            '%s=true makes that a requirement.' % (dest, HOW_TO_ENCRYPT, option))
        result['changed'] = True
        if self._task.check_mode:
            return result
        result['created_directories'] = make_parents(os.path.dirname(dest))
        atomic_write(dest, data)
        return result

    def _read(self, args):
        if args['src'] is not None:
            src = os.path.expanduser(args['src'])
            try:
                with open(src, 'rb') as handle:
                    data = handle.read()
            except OSError as exc:
                raise ValueError('cannot read src %s: %s' % (src, exc.strerror))
        else:
            try:
                data = base64.b64decode(to_bytes(args['content']), validate=True)
            except (binascii.Error, ValueError):
                # never echo the content: it is the secret
                raise ValueError('content is not base64')
        if is_encrypted(data):
            raise ValueError('the data is already vault-encrypted: give its plain bytes')
        return data
