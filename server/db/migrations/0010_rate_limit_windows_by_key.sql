-- Counters move to express-rate-limit's store (server/http/createDatabaseRateLimitStore.ts), keyed by
-- client identity (key id or address) instead of a hash of the raw Authorization header: the old
-- buckets never match again, so they go. Ended windows are pruned by window_start, hence the index.
DELETE FROM rate_limit_windows;
CREATE INDEX rate_limit_windows_window_start_idx ON rate_limit_windows (window_start);
