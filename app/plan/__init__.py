"""The project plan: phases, tasks, RAG, timeline and the workbook."""
