-- Call history built from room-events. Timestamps are timestamptz; durations are whole seconds.

CREATE TABLE calls (
    call_id           text PRIMARY KEY,
    room_id           text        NOT NULL,
    state             text        NOT NULL CHECK (state IN ('ACTIVE', 'ENDED')),
    started_at        timestamptz NOT NULL,
    ended_at          timestamptz,
    duration_seconds  bigint,
    end_reason        text,
    peak_participants integer     NOT NULL DEFAULT 0,
    -- the highest sequence applied: an event at or below it arrived late and triggers a rebuild
    last_sequence     bigint      NOT NULL DEFAULT 0,
    version           bigint      NOT NULL DEFAULT 0
);

-- GET /calls pages newest first by (started_at, call_id), optionally per room or only active calls
CREATE INDEX calls_started_idx ON calls (started_at DESC, call_id DESC);
CREATE INDEX calls_room_started_idx ON calls (room_id, started_at DESC, call_id DESC);
CREATE INDEX calls_active_started_idx ON calls (started_at DESC, call_id DESC) WHERE state = 'ACTIVE';

CREATE SEQUENCE participants_seq INCREMENT BY 50;

CREATE TABLE participants (
    id               bigint PRIMARY KEY,
    call_id          text        NOT NULL REFERENCES calls ON DELETE CASCADE,
    participant_id   text        NOT NULL,
    user_id          text,
    name             text,
    joined_at        timestamptz NOT NULL,
    left_at          timestamptz,
    duration_seconds bigint,
    leave_reason     text,
    reconnections    integer     NOT NULL DEFAULT 0,
    connected        boolean     NOT NULL DEFAULT true,
    CONSTRAINT participants_call_participant_key UNIQUE (call_id, participant_id)
);

-- a user's calls, and the visibility check of every non-admin read
CREATE INDEX participants_user_call_idx ON participants (user_id, call_id);

CREATE SEQUENCE streams_seq INCREMENT BY 50;

CREATE TABLE streams (
    id               bigint PRIMARY KEY,
    call_id          text        NOT NULL REFERENCES calls ON DELETE CASCADE,
    stream_id        text        NOT NULL,
    participant_id   text        NOT NULL,
    kind             text        NOT NULL,
    published_at     timestamptz NOT NULL,
    unpublished_at   timestamptz,
    peak_subscribers integer     NOT NULL DEFAULT 0,
    audio            boolean,
    video            boolean,
    CONSTRAINT streams_call_stream_key UNIQUE (call_id, stream_id)
);

-- who receives each stream now, in subscription order
CREATE TABLE stream_subscribers (
    stream_pk      bigint  NOT NULL REFERENCES streams ON DELETE CASCADE,
    position       integer NOT NULL,
    participant_id text    NOT NULL,
    PRIMARY KEY (stream_pk, position)
);

CREATE SEQUENCE call_anomalies_seq INCREMENT BY 50;

CREATE TABLE call_anomalies (
    id       bigint PRIMARY KEY,
    call_id  text   NOT NULL REFERENCES calls ON DELETE CASCADE,
    event_id text   NOT NULL,
    sequence bigint NOT NULL,
    kind     text   NOT NULL,
    detail   text   NOT NULL
);

CREATE INDEX call_anomalies_call_idx ON call_anomalies (call_id, sequence);

-- The raw timeline: every distinct event exactly once, whatever the history made of it.
CREATE TABLE call_events (
    event_id   text PRIMARY KEY,
    call_id    text        NOT NULL,
    room_id    text        NOT NULL,
    sequence   bigint      NOT NULL,
    type       text        NOT NULL,
    event_time timestamptz NOT NULL,
    data       jsonb       NOT NULL
);

CREATE INDEX call_events_call_sequence_idx ON call_events (call_id, sequence, event_id);

-- Records that could not be read as room events, kept for an operator instead of blocking the partition.
CREATE TABLE unreadable_records (
    topic       text        NOT NULL,
    partition   integer     NOT NULL,
    record_offset bigint    NOT NULL,
    record_key  text,
    payload     text,
    error       text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition, record_offset)
);
