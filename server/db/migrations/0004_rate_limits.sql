-- Fixed-window request counters, shared by every API instance that uses this database.
CREATE TABLE rate_limit_windows (
  bucket text NOT NULL,
  window_start timestamptz NOT NULL,
  request_count integer NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
