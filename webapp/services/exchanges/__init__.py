"""交流轮岗 and other exchanges: the workflow, who is eligible, the year's quota, the jobs."""
