"""People: stakeholders, the project team and the groups they belong to."""
