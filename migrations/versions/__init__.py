"""The migrations, each frozen: its own DDL and data, nothing imported from `app`."""
