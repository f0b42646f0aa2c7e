-- Storage commitment across nodes sharing the index: the node reporting a request holds a lease on it, renewed at
-- each attempt, so that another node neither sends the same report meanwhile nor leaves it unsent once the holder is
-- gone (its lease expired, or a clean stop released it). Null: held by no node. Times are the database's clock.
alter table commitment_request add column lease_owner varchar(128);
alter table commitment_request add column lease_expires_at datetime(3);
