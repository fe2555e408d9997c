"""Training hours towards 5年360学时: the ledger, its verification and the window's totals."""
