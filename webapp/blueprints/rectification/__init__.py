"""挂牌整改 pages: boards, items, their log and the 整改台账 export."""
