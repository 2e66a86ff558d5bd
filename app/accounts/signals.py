"""What happens to an account, sent by the accounts feature for other features to act on
(the notifications feature emails the person that their password changed). Sent when the
change is made, so receivers work in the same transaction."""

from blinker import Namespace

_accounts = Namespace()

# sender: the User whose password they (or a reset link, or a re-invitation) changed; not
# sent when an administrator blanks a password, whose reset email says what to do
password_changed = _accounts.signal("password-changed")
