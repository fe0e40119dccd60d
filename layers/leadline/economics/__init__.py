"""Lead economics: which leads bill, what they cost, and what the contractor earned from them.

``rules``, ``pricing``, ``money`` and ``profit`` are pure functions over Decimal amounts;
``classify`` applies them to stored leads and writes the decisions back.
"""
