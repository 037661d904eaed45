"""The product's use-cases: functions and small classes that combine engine packages for the desktop app, the
quick-ask popup, the CLI and scheduled jobs, with their collaborators passed in. Never Qt.

They sit above engine/assistant and engine/insights (which never import them), so a use-case may draw on
both without an import circle.

- `asking`: save question -> retrieve -> generate -> verify sentence by sentence -> save answer -> count usage.
- `sentences`: the sentence stream the asking use-case shows answers through.
- `briefing`: the daily briefing (meetings with dossiers, replies owed, commitments due, deals at risk) and
  its scheduled job.
- `verified_notes`: the answer engine's verifier for the model-written summary of meeting notes.
- `scheduling`: "propose a meeting" from a person, a thread or a commitment, free slots, invitations waiting on
  an answer and RSVPs (all pending actions the user confirms).
- `people`: the stakeholder dossier page and the people list.
- `workspace_items`: Slack replies from the Inbox (pending until confirmed) and the Asana task list and search.
- `acting`: an instruction grounded into a pending action (or a question back), else the model's read tools.
- `carrying_out`: a confirmed pending action performed once through the providers' `ProviderWrites` port.
- `inbox`, `insights_overview`: what the Inbox and Insights pages show.
- `meeting_intake`: every new or re-transcribed meeting linked, split into turns, counted and announced.
- `recording`, `links`: starting a recording (with the consent notice), and `reflex://` links to sources.
"""
