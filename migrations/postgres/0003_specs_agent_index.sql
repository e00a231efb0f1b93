-- find() on specs may filter and order by the agent instance that wrote them.
CREATE INDEX specs_agent ON specs (agent, seq);
