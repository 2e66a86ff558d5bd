from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.accounts.service import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(
        "Email address", validators=[DataRequired("Enter your email address."), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    new_password = PasswordField(
        "New password",
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A short phrase is easy to recall.",
        validators=[
            DataRequired("Enter a new password."),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=f"Password must be at least {MIN_PASSWORD_LENGTH} characters.",
            ),
        ],
    )
    confirm_password = PasswordField(
        "Confirm new password",
        validators=[
            DataRequired("Type the new password again."),
            EqualTo("new_password", "The two new passwords do not match."),
        ],
    )


class UserForm(FlaskForm):
    name = StringField(
        "Full name", validators=[DataRequired("Enter the person's name."), Length(max=120)]
    )
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter an email address."),
            Email("Enter an email address like name@nhs.net."),
            Length(max=254),
        ],
    )
    global_role = SelectField(
        "Global role",
        description="Most people need none: their access comes from their role on each site.",
        choices=[
            ("", "None"),
            ("support", "Support staff (reads every site)"),
            ("admin", "Administrator"),
        ],
        default="",
    )
    password = PasswordField(
        "Temporary password (optional)",
        description=(
            "Best left blank: they then get a link to choose their own password. "
            f"A temporary password must be at least {MIN_PASSWORD_LENGTH} characters, "
            "and they must change it when they first sign in."
        ),
        validators=[
            Optional(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=f"Password must be at least {MIN_PASSWORD_LENGTH} characters.",
            ),
        ],
    )


class SetPasswordForm(FlaskForm):
    """Choosing your own password from an invitation link."""

    new_password = PasswordField(
        "Choose a password",
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A short phrase is easy to recall.",
        validators=[
            DataRequired("Enter a password."),
            Length(
                min=MIN_PASSWORD_LENGTH,
                message=f"Password must be at least {MIN_PASSWORD_LENGTH} characters.",
            ),
        ],
    )
    confirm_password = PasswordField(
        "Type it again",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("new_password", "The two passwords do not match."),
        ],
    )


class ResetRequestForm(FlaskForm):
    email = EmailField(
        "Email address",
        description="The address you sign in with.",
        validators=[DataRequired("Enter your email address."), Length(max=254)],
    )


class CodeForm(FlaskForm):
    """A one-time code from the authenticator app (or, where allowed, a recovery code)."""

    code = StringField(
        "Code",
        validators=[DataRequired("Enter the code."), Length(max=40, message="That is too long.")],
    )
