"""Publication: what leaves the working warehouse for BI tools and for HR (scorecards, workbooks)."""
