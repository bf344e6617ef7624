"""Hosted mode's building blocks: who is calling (`identity`), each user's encrypted Pictory key
(`vault`), the signed links and page through which a user connects that key (`links`,
`connect`), and request budgets (`budgets`).

Nothing here is imported on the single-user start-up path; the server loads these modules only
when it runs hosted. They depend on `pictory_mcp.errors` and third-party libraries alone.
"""
