package io.sluice.config;

import static io.sluice.config.ConfigType.BOOLEAN;
import static io.sluice.config.ConfigType.BYTES;
import static io.sluice.config.ConfigType.DOUBLE;
import static io.sluice.config.ConfigType.DURATION;
import static io.sluice.config.ConfigType.INT;
import static io.sluice.config.ConfigType.LONG;
import static io.sluice.config.ConfigType.MAP;
import static io.sluice.config.ConfigType.PASSWORD;
import static io.sluice.config.ConfigType.SECRET_MAP;
import static io.sluice.config.ConfigType.STRING;
import static io.sluice.config.ConfigType.STRINGS;
import static io.sluice.config.Validators.atLeast;
import static io.sluice.config.Validators.between;
import static io.sluice.config.Validators.cqlIdentifier;
import static io.sluice.config.Validators.durationAtLeast;
import static io.sluice.config.Validators.hostPorts;
import static io.sluice.config.Validators.nonEmptyMap;
import static io.sluice.config.Validators.notBlank;
import static io.sluice.config.Validators.oneOf;
import static io.sluice.config.Validators.url;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A pipeline file, parsed once into typed getters. {@link #DEFINITION} is the single place where every key's type,
 * default, validator and doc live; {@code docs/pipeline-reference.md} is generated from it.
 */
public final class PipelineConfig {
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._\\-]{1,249}");
    private static final Pattern QUERY_PARAM = Pattern.compile("[A-Za-z0-9_.\\-]+");
    /** {@code source.position_path} value that counts messages instead of reading the feed's own position. */
    public static final String FRAME_INDEX = "@frame_index";
    /** Placeholder in {@code source.subscribe_message} for the resume position. */
    public static final String POSITION_PLACEHOLDER = "${position}";
    private static final Pattern GRPC_METHOD =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_]*\\.)*[A-Za-z_][A-Za-z0-9_]*/[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern KEY_PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    public static final ConfigDef DEFINITION = new ConfigDef()
            .defineRequired("pipeline.name", STRING, cqlIdentifier(),
                    "Name of this pipeline; names its checkpoint directory and its Kafka consumer identity")

            .define("source.type", STRING, "rest_poll", oneOf("rest_poll", "sse", "websocket", "mqtt", "grpc"),
                    "Kind of API to read. `rest_poll` calls a REST endpoint every `source.interval`; `sse` keeps a "
                            + "Server-Sent Events stream open (http/https URL); `websocket` keeps a WebSocket open (ws/wss URL); "
                            + "`mqtt` subscribes to `source.mqtt.topic` with QoS 1 (tcp/ssl URL); `grpc` calls the "
                            + "server-streaming method `source.grpc.method` (grpc URL, or grpcs for TLS)")
            .defineRequired("source.url", STRING, url(), "Address of the API endpoint")
            .define("source.interval", DURATION, "1s", durationAtLeast(Duration.ofMillis(10)),
                    "Time between two polls of a REST source")
            .define("source.records_path", STRING, "results", Validator.NONE,
                    "Dot path to the array of records in each response body (`sse`: event data; `websocket`: message); empty when "
                            + "the body itself is the array or, for `sse` and `websocket`, a single record object")
            .define("source.timeout", DURATION, "10s", durationAtLeast(Duration.ofMillis(100)),
                    "Request timeout for one call to the source")
            .define("source.schedule", STRING, null, CronSchedules.validator(),
                    "`rest_poll`: cron expression that replaces `source.interval`: 6 fields with seconds "
                            + "(`*/5 * * * * *`) or 5 Unix fields (`*/5 * * * *`), in UTC; unset polls every `source.interval`")
            .define("source.max_retries", INT, 5, between(0, 1000),
                    "`rest_poll`: failed calls (timeouts, 5xx, 429) retried within one poll cycle before the cycle gives up")
            .define("source.max_backoff", DURATION, "30s", durationAtLeast(Duration.ofMillis(10)),
                    "`rest_poll`: longest exponential backoff (with jitter) between retries; a `Retry-After` is honoured as sent")
            .define("source.pagination.cursor_path", STRING, null, v -> KEY_PATH.matcher((String) v).matches() ? null
                            : "must be a dot path to a field, such as info.next_cursor",
                    "`rest_poll`: dot path to the next-page cursor in a response body; sent back in `source.pagination.cursor_param`")
            .define("source.pagination.cursor_param", STRING, null, v -> QUERY_PARAM.matcher((String) v).matches() ? null
                            : "must be a query parameter name (letters, digits, '_', '-', '.')",
                    "`rest_poll`: query parameter that carries the cursor to the API")
            .define("source.pagination.next_link_path", STRING, null, v -> KEY_PATH.matcher((String) v).matches() ? null
                            : "must be a dot path to a field, such as links.next",
                    "`rest_poll`: dot path to the full URL of the next page in a response body (instead of a cursor)")
            .define("source.pagination.max_pages", INT, 10, between(1, 100_000),
                    "`rest_poll`: most pages fetched in one poll cycle; the next cycle continues from the cursor")
            .define("source.dedup_cache_size", INT, 10_000, between(0, 10_000_000),
                    "`rest_poll`: recent natural keys remembered to drop records repeated by overlapping pages; 0 switches it off")
            .define("source.mqtt.topic", STRING, null, notBlank(),
                    "`mqtt`: topic filter subscribed to with QoS 1, e.g. `users/created` or `users/#`")
            .define("source.mqtt.client_id", STRING, null, v -> QUERY_PARAM.matcher((String) v).matches() ? null
                            : "must be letters, digits, '_', '-' or '.'",
                    "`mqtt`: fixed client id; the broker keeps this client's session and un-acknowledged messages under it")
            .define("source.mqtt.session_expiry", DURATION, "1d", durationAtLeast(Duration.ofSeconds(1)),
                    "`mqtt`: how long the broker keeps the session (and queues QoS 1 messages) while Sluice is away")
            .define("source.stall_timeout", DURATION, "30s", durationAtLeast(Duration.ofMillis(100)),
                    "Push sources (`sse`, `websocket`): reconnect when nothing at all (not a byte, not a pong) arrived "
                            + "for this long: the connection is dead. `grpc`: the keep-alive timeout (an HTTP/2 ping "
                            + "unanswered this long ends the call). See `source.idle_timeout` for a live but idle feed")
            .define("source.idle_timeout", DURATION, null, durationAtLeast(Duration.ofMillis(100)),
                    "Push sources: reconnect when no record arrived for this long although the connection is alive "
                            + "(heartbeats and pongs do not count; time spent waiting for Sluice's own full queue does "
                            + "not count either); unset never reconnects an idle feed")
            .define("source.reconnect_min", DURATION, "500ms", durationAtLeast(Duration.ofMillis(1)),
                    "Push sources: first reconnect delay; doubles on each failed attempt, with jitter. An SSE server's "
                            + "`retry:` replaces it")
            .define("source.reconnect_max", DURATION, "30s", durationAtLeast(Duration.ofMillis(1)),
                    "Push sources: longest reconnect delay")
            .define("source.subscribe_message", STRING, null, Validator.NONE,
                    "`websocket`: text message sent after every connect, e.g. a subscription request; unset sends "
                            + "nothing. `${position}` in it is replaced by the resume position (see "
                            + "`source.position_path`), e.g. `{\"op\":\"subscribe\",\"since\":${position}}`")
            .define("source.ping_interval", DURATION, "15s", durationAtLeast(Duration.ofMillis(100)),
                    "`websocket`: time between pings; the pongs keep a quiet but healthy connection from looking stalled. "
                            + "`grpc`: HTTP/2 keep-alive time (at least 10s; the server must permit it)")
            .define("source.position_path", STRING, null, v -> KEY_PATH.matcher((String) v).matches()
                            || FRAME_INDEX.equals(v) ? null
                            : "must be a dot path to the feed's own message position, such as seq or data.id, or "
                            + FRAME_INDEX,
                    "`websocket`, `grpc`: dot path to the feed's own position in each message (`seq`, `data.id`). A reconnect "
                            + "resumes after the last position received, a restart after the last one Kafka "
                            + "acknowledged; messages without it (heartbeats, acks) never move it. `" + FRAME_INDEX
                            + "` instead counts every message from 0: a fallback only for feeds that number nothing "
                            + "and send nothing but records (the demo API)")
            .define("source.resume_param", STRING, null, v -> QUERY_PARAM.matcher((String) v).matches() ? null
                            : "must be a query parameter name (letters, digits, '_', '-', '.')",
                    "`websocket`: query parameter that carries the resume position on every connect: the last "
                            + "position received (`since`-style), or with `" + FRAME_INDEX + "` the index of the next "
                            + "message (the demo API's `from`). Needs `source.position_path`. Without a position yet "
                            + "(first connect, nothing committed) it is left out unless `source.initial_position` is set")
            .define("source.initial_position", STRING, null, notBlank(),
                    "`websocket`, `grpc`: what a first connect (no position received or committed yet) sends in "
                            + "`source.resume_param` or `${position}`; unset leaves the parameter out. Required when "
                            + "`source.subscribe_message` or `source.grpc.request` uses `${position}`")
            .define("source.control_path", STRING, null, v -> KEY_PATH.matcher((String) v).matches() ? null
                            : "must be a dot path to a field, such as type",
                    "Push sources: dot path to a field that marks control messages (heartbeats, acks); a message whose "
                            + "value there is one of `source.control_values` is ignored and counted, never dead-lettered")
            .define("source.control_values", STRINGS, null, Validator.NONE,
                    "Push sources: values at `source.control_path` that mark a control message, e.g. "
                            + "`[heartbeat, ack]`")
            .define("source.event_types", STRINGS, null, Validator.NONE,
                    "`sse`: event types that carry records, e.g. `[message, user]` (`message` is the type of an event "
                            + "without an `event:` line); other types (`ping`) are ignored and counted. Unset: every event")
            // Credentials and TLS of HTTP-based sources (rest_poll, sse, websocket) and MQTT: docs/security.md.
            .define("source.headers", SECRET_MAP, java.util.Map.of(), v -> ApiAuthKeyRules.headerNames((Map<?, ?>) v),
                    "HTTP sources: headers sent with every request (and on every connect), e.g. "
                            + "`source.headers.X-Tenant: acme`. Values may be secrets (`${env:NAME}`): they print as [hidden]")
            .define("source.auth.type", STRING, "none", oneOf(ApiAuthKeyRules.TYPES),
                    "How the source proves who it is: `none`; `bearer` (`source.auth.token`); `basic` "
                            + "(`source.auth.username`/`source.auth.password`; for `mqtt` the CONNECT user name and password); "
                            + "`api_key` (`source.auth.api_key` in header `source.auth.api_key_header` or query parameter "
                            + "`source.auth.api_key_param`); `oauth2_client_credentials` (a token from `source.auth.token_url`, "
                            + "cached and refreshed before it expires; a 401 refreshes it once and retries once)")
            .define("source.auth.token", PASSWORD, null, Validator.NONE,
                    "`bearer`: the token sent as `Authorization: Bearer <token>`. Write `${env:NAME}` or `${file:/path}`")
            .define("source.auth.username", STRING, null, notBlank(), "`basic`: the user name")
            .define("source.auth.password", PASSWORD, null, Validator.NONE, "`basic`: the password of `source.auth.username`")
            .define("source.auth.api_key", PASSWORD, null, Validator.NONE, "`api_key`: the key")
            .define("source.auth.api_key_header", STRING, null, v -> ApiAuthKeyRules.headerName((String) v),
                    "`api_key`: header that carries the key, e.g. `X-API-Key`")
            .define("source.auth.api_key_param", STRING, null, v -> QUERY_PARAM.matcher((String) v).matches() ? null
                            : "must be a query parameter name (letters, digits, '_', '-', '.')",
                    "`api_key`: query parameter that carries the key instead of a header, e.g. `api_key`; it is never "
                            + "logged nor saved in a position")
            .define("source.auth.token_url", STRING, null, url(),
                    "`oauth2_client_credentials`: the token endpoint, e.g. `https://auth.example.com/oauth/token`")
            .define("source.auth.client_id", STRING, null, notBlank(), "`oauth2_client_credentials`: the client id")
            .define("source.auth.client_secret", PASSWORD, null, Validator.NONE,
                    "`oauth2_client_credentials`: the client secret. Write `${env:NAME}` or `${file:/path}`")
            .define("source.auth.scope", STRING, null, notBlank(),
                    "`oauth2_client_credentials`: space-separated scopes asked for; unset asks for the client's default")
            .define("source.auth.audience", STRING, null, notBlank(),
                    "`oauth2_client_credentials`: `audience` parameter some providers (Auth0, Okta) want; unset sends none")
            .define("source.auth.client_auth", STRING, "basic", oneOf("basic", "post"),
                    "`oauth2_client_credentials`: how the client authenticates to the token endpoint: `basic` = HTTP Basic "
                            + "header (RFC 6749 `client_secret_basic`), `post` = `client_id`/`client_secret` in the form body")
            .define("source.tls.truststore.path", STRING, null, notBlank(),
                    "https/wss/ssl sources: truststore (PKCS12 or JKS) holding the CA that signed the server's certificate; "
                            + "unset trusts the JVM's CAs")
            .define("source.tls.truststore.password", PASSWORD, null, Validator.NONE,
                    "Password of `source.tls.truststore.path`")
            .define("source.tls.keystore.path", STRING, null, notBlank(),
                    "https/wss/ssl sources: keystore with this client's certificate and key, for servers that require "
                            + "client certificates (mTLS)")
            .define("source.tls.keystore.password", PASSWORD, null, Validator.NONE,
                    "Password of `source.tls.keystore.path` (and of its key)")
            .define("source.tls.verify_hostname", BOOLEAN, true, Validator.NONE,
                    "Check that the server's certificate names the host in `source.url`. Switch off only for a test server")
            .define("source.grpc.method", STRING, null, v -> GRPC_METHOD.matcher((String) v).matches() ? null
                            : "must be a full method name, package.Service/Method, such as demo.users.v1.Users/Stream",
                    "`grpc`: the server-streaming method to call, `package.Service/Method`. Its message types come from "
                            + "server reflection, or from `source.grpc.descriptor_set`; no generated code is needed")
            .define("source.grpc.request", STRING, "{}", Validator.NONE,
                    "`grpc`: the request message as JSON (protobuf's JSON mapping), sent on every connect. "
                            + "`${position}` in it is replaced by the resume position (see `source.position_path`), "
                            + "e.g. `{\"since\": \"${position}\"}`")
            .define("source.grpc.descriptor_set", STRING, null, notBlank(),
                    "`grpc`: a descriptor set file (`protoc --include_imports --descriptor_set_out=FILE`) that holds "
                            + "the method's service and message types; unset asks the server by reflection (grpc.reflection.v1)")
            .define("source.grpc.deadline", DURATION, null, durationAtLeast(Duration.ofSeconds(1)),
                    "`grpc`: deadline of one streaming call; when it passes the call ends (DEADLINE_EXCEEDED) and the "
                            + "source reconnects after the last position received. Unset: no deadline (a live feed "
                            + "streams for ever; `source.stall_timeout` and `source.idle_timeout` still watch it)")

            .define("record.key", STRING, "login.uuid", v -> KEY_PATH.matcher((String) v).matches() ? null
                            : "must be a dot path to a field, such as login.uuid",
                    "Dot path to the record's natural key. It becomes the Kafka record key and, hashed to a name-based "
                            + "UUID, the Cassandra primary key, so a replayed record overwrites itself")
            .defineRequired("record.schema", STRING, notBlank(),
                    "Spark DDL schema of one record, e.g. `name STRUCT<first: STRING>, email STRING`")
            .define("record.numbers_as_text", STRING, null, v -> Arrays.stream(((String) v).split(",", -1))
                                    .allMatch(p -> KEY_PATH.matcher(p.trim()).matches()) ? null
                            : "must be comma-separated dot paths to fields, such as location.postcode",
                    "Comma-separated dot paths of STRING fields in `record.schema` that accept a JSON number too, "
                            + "kept as its text (randomuser.me sends some postcodes as numbers). Any other non-text value "
                            + "where STRING is declared is quarantined as `parse:type_mismatch:<path>`; unset: no field accepts a number")

            .define("producer.records_per_second", DOUBLE, 500.0, between(0.001, 1_000_000),
                    "Throttle: most records per second sent to Kafka, whatever the source delivers")
            .define("producer.bytes_per_second", BYTES, "8MiB", atLeast(1024),
                    "Throttle: most record bytes per second sent to Kafka")
            .define("producer.queue_capacity", INT, 10_000, between(1, 10_000_000),
                    "Bound on records waiting between the source and the producer")
            .define("producer.overflow", STRING, "block", oneOf("block", "drop_oldest", "fail"),
                    "What a full queue does: `block` pushes back on the source, `drop_oldest` drops and counts, `fail` stops")
            .define("producer.linger", DURATION, "20ms", durationAtLeast(Duration.ZERO),
                    "Kafka `linger.ms`: how long a batch waits to fill before it is sent")
            .define("producer.batch_size", BYTES, "64KiB", between(1, 16 << 20),
                    "Kafka `batch.size`: most bytes in one partition batch")
            .define("producer.compression", STRING, "lz4", oneOf("none", "gzip", "snappy", "lz4", "zstd"),
                    "Kafka `compression.type` for record batches")
            .define("producer.retries", INT, 10, between(0, 1000),
                    "Bounded retries of a failed send (the producer is idempotent with acks=all, so retries never duplicate)")
            .define("producer.delivery_timeout", DURATION, "2m", durationAtLeast(Duration.ofSeconds(1)),
                    "Kafka `delivery.timeout.ms`: give up on a record after this long")

            .define("kafka.bootstrap_servers", STRING, "127.0.0.1:9092", hostPorts(),
                    "Kafka brokers, comma-separated host:port")
            .define("kafka.topic", STRING, "users_created", v -> TOPIC_NAME.matcher((String) v).matches() ? null
                    : "must be a Kafka topic name (letters, digits, '.', '_', '-')", "Topic that buffers the records")
            .define("kafka.partitions", INT, 3, between(1, 10_000),
                    "Partitions of the topic when Sluice creates it")
            .define("kafka.replication_factor", INT, 1, between(1, 32),
                    "Replication factor of the topic (and of the dead-letter topic) when Sluice creates it; at most the "
                            + "number of brokers. 1 suits the one-broker local stack; use 3 on a real cluster "
                            + "(`sluice up --nodes 3`). An existing topic with another factor is reported, never changed")
            .define("kafka.min_insync_replicas", INT, 1, between(1, 32),
                    "Topic setting `min.insync.replicas` when Sluice creates the topics: the producer's acks=all writes "
                            + "succeed only while this many replicas have them. At most `kafka.replication_factor`; "
                            + "2 with a factor of 3 keeps writing through one lost broker. An existing topic with another "
                            + "value is reported, never changed")
            .define("kafka.security.protocol", STRING, "PLAINTEXT", oneOf("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
                    "Kafka `security.protocol` of every Kafka client Sluice runs (producer, admin, Spark's Kafka source "
                            + "and dead-letter writer); see docs/security.md")
            .define("kafka.sasl.mechanism", STRING, "PLAIN", oneOf("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
                    "SASL mechanism with `SASL_PLAINTEXT` or `SASL_SSL`")
            .define("kafka.sasl.username", STRING, null, notBlank(), "SASL user name; required with `SASL_*` protocols")
            .define("kafka.sasl.password", PASSWORD, null, Validator.NONE,
                    "SASL password; required with `SASL_*` protocols. Write `${env:NAME}` or `${file:/path}` rather than the secret")
            .define("kafka.ssl.truststore.location", STRING, null, notBlank(),
                    "Truststore (PKCS12 or JKS) holding the CA that signed the brokers' certificates; unset trusts the JVM's CAs")
            .define("kafka.ssl.truststore.password", PASSWORD, null, Validator.NONE, "Password of `kafka.ssl.truststore.location`")
            .define("kafka.ssl.keystore.location", STRING, null, notBlank(),
                    "Keystore with this client's certificate and key, for brokers that require client certificates (mTLS)")
            .define("kafka.ssl.keystore.password", PASSWORD, null, Validator.NONE, "Password of `kafka.ssl.keystore.location`")
            .define("kafka.ssl.key.password", PASSWORD, null, Validator.NONE,
                    "Password of the private key in the keystore, when it differs from the keystore's")
            .define("kafka.properties", MAP, java.util.Map.of(), Validator.NONE,
                    "Any other Kafka client property, passed as it is to every Kafka client (e.g. `kafka.properties.client.dns.lookup`); "
                            + "it wins over what Sluice derives. Hostname verification is on; "
                            + "`ssl.endpoint.identification.algorithm: \"\"` switches it off")

            .define("stream.trigger_interval", DURATION, "10s", durationAtLeast(Duration.ofMillis(100)),
                    "Spark `processingTime` trigger: one micro-batch at most this often; data arriving between waits in Kafka")
            .define("stream.max_offsets_per_trigger", LONG, 1000L, atLeast(1),
                    "Spark `maxOffsetsPerTrigger`: most Kafka records in one micro-batch")
            .define("stream.starting_offsets", STRING, "earliest", oneOf("earliest", "latest"),
                    "Where a brand-new checkpoint starts reading the topic")
            .define("stream.checkpoint_dir", STRING, null, Validators.directoryPath(),
                    "Spark checkpoint directory; relative paths are under the data dir. Default: `<data dir>/checkpoints/<pipeline.name>`. "
                            + "On a cluster it must be storage the driver reaches wherever it runs: a shared mount (NFS) at the "
                            + "same path (docs/clusters.md)")
            .define("stream.master", STRING, "local[2]", notBlank(),
                    "Spark master when Sluice runs the job itself; ignored under spark-submit")
            .define("stream.partitions", INT, 2, between(1, 10_000),
                    "Spark partitions per micro-batch, hash-aligned on the Cassandra partition key")
            .define("stream.spark_conf", MAP, java.util.Map.of(), Validator.NONE,
                    "Extra Spark settings for the job's session, e.g. `stream.spark_conf.spark.executor.memory: 2g`; "
                            + "they win over Sluice's own")

            .define("cassandra.contact_points", STRING, "127.0.0.1:9042", hostPorts(),
                    "Cassandra nodes, comma-separated host:port")
            .define("cassandra.local_dc", STRING, "datacenter1", notBlank(), "Cassandra local datacenter name")
            .define("cassandra.username", STRING, null, notBlank(),
                    "User for Cassandra's PasswordAuthenticator; unset connects without authentication")
            .define("cassandra.password", PASSWORD, null, Validator.NONE,
                    "Password of `cassandra.username`. Write `${env:NAME}` or `${file:/path}` rather than the secret")
            .define("cassandra.ssl.enabled", BOOLEAN, false, Validator.NONE,
                    "Connect with TLS (client encryption). The server's host name or IP must match its certificate")
            .define("cassandra.ssl.truststore.path", STRING, null, notBlank(),
                    "Truststore (PKCS12 or JKS) holding the CA that signed the nodes' certificates; unset trusts the JVM's CAs")
            .define("cassandra.ssl.truststore.password", PASSWORD, null, Validator.NONE,
                    "Password of `cassandra.ssl.truststore.path`")
            .define("cassandra.ssl.keystore.path", STRING, null, notBlank(),
                    "Keystore with this client's certificate and key, for nodes that require client certificates")
            .define("cassandra.ssl.keystore.password", PASSWORD, null, Validator.NONE,
                    "Password of `cassandra.ssl.keystore.path`")

            .define("sink.keyspace", STRING, "spark_streams", cqlIdentifier(), "Keyspace, created if missing")
            .define("sink.table", STRING, "created_users", cqlIdentifier(), "Table, created if missing")
            .define("sink.replication", STRING, "SimpleStrategy:1", KeyspaceReplication.validator(),
                    "Replication of the keyspace when Sluice creates it: `SimpleStrategy:<factor>` or "
                            + "`NetworkTopologyStrategy:<dc>=<factor>,...` (e.g. `NetworkTopologyStrategy:dc1=3,dc2=2`; "
                            + "data center names as `nodetool status` shows them). An existing keyspace with other "
                            + "replication is reported, never changed (ALTER KEYSPACE, then a repair, is the operator's call)")
            .define("sink.key_column", STRING, "id", cqlIdentifier(),
                    "Primary-key column (uuid), derived from `record.key` as a name-based UUID: never random")
            .defineRequired("sink.columns", MAP, nonEmptyMap(),
                    "Table columns (all `text`): column name -> Spark SQL expression over the parsed record")
            .define("sink.ttl", DURATION, "0s", durationAtLeast(Duration.ZERO),
                    "Time-to-live of written rows; 0s keeps rows forever")
            .define("sink.consistency", STRING, "LOCAL_QUORUM",
                    oneOf("ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE"),
                    "Consistency level of every write to the sink table, by either `sink.writer`. LOCAL_QUORUM (the "
                            + "default) waits for a majority of the replicas in `cassandra.local_dc`: 1 of 1 on the local "
                            + "stack, 2 of 3 with a factor of 3, so one node may be down")
            .define("sink.concurrent_writes", INT, 16, between(1, 1024),
                    "Most batches in flight per Spark task (connector `output.concurrent.writes`): bounds load on Cassandra")
            .define("sink.throughput_mb_per_sec", DOUBLE, 64.0, between(0.01, 100_000),
                    "Most MB/s each Spark task writes (connector `output.throughput_mb_per_sec`)")
            .define("sink.writer", STRING, "driver", oneOf("connector", "driver"),
                    "How valid rows reach Cassandra: `driver` (the default) = one prepared INSERT per row "
                            + "(or a small UNLOGGED batch per `sink.batch_grouping` group when `sink.batch_size_rows` > 1), "
                            + "sent asynchronously through a plain Java driver session in the same pass that parses the "
                            + "batch (at most `sink.concurrent_writes` requests in flight per Spark task, paced by "
                            + "`sink.max_rows_per_second` and, with `sink.adaptive`, by Cassandra's own latency); "
                            + "`connector` = the Spark Cassandra Connector's batching writer (`sink.batch_*` keys, "
                            + "`sink.throughput_mb_per_sec`; no adaptive control). BENCHMARKS.md compares both at the "
                            + "other defaults")
            .define("sink.max_rows_per_second", DOUBLE, 5000.0, between(1, 10_000_000),
                    "Most rows per second the job writes to the sink table with `sink.writer: driver`, all Spark tasks "
                            + "together: a token bucket shared by an executor's tasks paces every row, so Cassandra sees "
                            + "an even rate, not bursts")
            // Closed-loop write control (docs/adaptive-writes.md): Cassandra's latency and errors set the pace.
            .define("sink.adaptive", BOOLEAN, true, Validator.NONE,
                    "With `sink.writer: driver`, let Cassandra set the write pace: a concurrency limit (Netflix "
                            + "concurrency-limits AIMD) grows while requests answer within `sink.adaptive.latency_target` "
                            + "and halves on slower answers, timeouts, `OverloadedException` or unavailable replicas; the "
                            + "row rate follows the limit. `sink.concurrent_writes` and `sink.max_rows_per_second` stay "
                            + "hard ceilings. false: the static limits alone")
            .define("sink.adaptive.latency_target", DURATION, null, durationAtLeast(Duration.ofMillis(1)),
                    "Request latency above which the adaptive limit backs off; unset: "
                            + "`sink.adaptive.baseline_multiple` times the baseline Sluice measures at its lowest limit")
            .define("sink.adaptive.baseline_multiple", DOUBLE, 3.0, between(1.1, 100),
                    "The latency target as a multiple of the measured baseline latency, when "
                            + "`sink.adaptive.latency_target` is unset")
            .define("sink.adaptive.min_concurrency", INT, 4, between(1, 1024),
                    "Fewest requests the adaptive limit allows in flight (per executor): the floor it backs off to, "
                            + "and where it stays while `sink.adaptive.neighbours` sees other clients (at most "
                            + "`sink.concurrent_writes`)")
            .define("sink.adaptive.min_rows_per_second", DOUBLE, 100.0, between(1, 10_000_000),
                    "Slowest pace the adaptive controller backs off to, so the pipeline never stalls completely "
                            + "while Cassandra answers (at most `sink.max_rows_per_second`)")
            .define("sink.adaptive.neighbours", BOOLEAN, true, Validator.NONE,
                    "With `sink.adaptive`, make room for Cassandra's other clients: while connections that are not "
                            + "Sluice's send at least `sink.adaptive.neighbour_min_requests_per_second` requests a second "
                            + "(`system_views.clients`), the row rate is held where a probe read's latency stays within "
                            + "`sink.adaptive.neighbour_latency_multiple` times its quiet level (its median; its 90th "
                            + "percentile, twice that multiple) and Sluice's own writes are seldom held up together (a "
                            + "flush or a compaction stalls every write in flight at once), so the node's stalls stay "
                            + "rare; alone on the cluster, Sluice runs at full speed. Until its first look (about a "
                            + "second) and when others appear, the pace starts at `sink.adaptive.min_rows_per_second` "
                            + "and doubles each quiet second. false: only Sluice's own latency sets the pace")
            .define("sink.adaptive.neighbour_latency_multiple", DOUBLE, 2.0, between(1.1, 100),
                    "How far above its quiet level the probe read's latency may rise while other clients are active "
                            + "before Sluice halves its row rate (twice this for the probe's 90th percentile and for "
                            + "writes held up together)")
            .define("sink.adaptive.neighbour_min_requests_per_second", DOUBLE, 10.0, between(0.1, 10_000_000),
                    "Requests per second from other clients below which Sluice counts the cluster as its own "
                            + "(monitoring polls, a schema check)")
            .define("sink.write_retry_timeout", DURATION, "5m", durationAtLeast(Duration.ofSeconds(1)),
                    "How long the driver writer keeps retrying a write that Cassandra refuses as overloaded, "
                            + "unavailable or timed out (with backoff, the micro-batch waiting) before the batch fails")
            // Data-quality write controls and quality keys: docs/data-quality.md explains each with an example file.
            .define("sink.batch_grouping", STRING, "partition", oneOf("none", "replica_set", "partition"),
                    "Which rows share one Cassandra batch (connector `output.batch.grouping.key`; the driver writer "
                            + "groups the same way): `partition` = same partition key (cheapest for Cassandra), "
                            + "`replica_set` = same replicas, `none` = any rows")
            .define("sink.batch_size_rows", INT, null, between(1, 10_000),
                    "Rows per Cassandra batch (connector `output.batch.size.rows`); unset sizes batches by "
                            + "`sink.batch_size_bytes` (connector) or sends every row as its own INSERT (driver writer)")
            .define("sink.batch_size_bytes", BYTES, "1KiB", between(64, 16 << 20),
                    "Most bytes per Cassandra batch when `sink.batch_size_rows` is unset (connector `output.batch.size.bytes`)")
            .define("sink.batch_buffer_size", INT, 1000, between(1, 1_000_000),
                    "Batches each Spark task holds open while grouping rows (connector `output.batch.grouping.buffer.size`; "
                            + "also the driver writer's limit: beyond it the oldest group is sent as it is)")
            .define("sink.ttl_column", STRING, null, notBlank(),
                    "Spark SQL expression giving each row's TTL in seconds (the connector's per-row TTL); a null or "
                            + "negative result falls back to `sink.ttl`. Unset: every row gets `sink.ttl`")
            .define("sink.time_bucket.column", STRING, null, cqlIdentifier(),
                    "Extra partition-key column holding a time bucket: the table's key becomes "
                            + "PRIMARY KEY ((<bucket>, <key_column>)). Unset: the key column alone")
            .define("sink.time_bucket.expression", STRING, null, notBlank(),
                    "Deterministic Spark SQL expression over the record giving the bucket, e.g. "
                            + "`date_format(to_timestamp(registered.date), 'yyyy-MM-dd')`")

            .define("dq.rules", ConfigType.LIST, java.util.List.of(), Validator.NONE,
                    "Data-quality rules checked on every record: a list of {name, type, column, action, ...}; types "
                            + "not_null, regex, in_set, range, length, max_age, unique_in_batch, expr (see docs/data-quality.md)")
            .define("dq.event_time", STRING, null, notBlank(),
                    "Spark SQL expression giving a record's event time (timestamp or ISO-8601 text); needed by `max_age` rules")
            .define("dq.max_record_bytes", BYTES, "1MiB", between(1, 64 << 20),
                    "Records larger than this are quarantined with reason `parse:oversize` before parsing")
            .define("dq.halt.max_failure_ratio", DOUBLE, 0.5, between(0, 1),
                    "Stop the job when the share of quarantined records over `dq.halt.window` stays above this; 1 never stops")
            .define("dq.halt.window", STRING, "10", HaltWindow.validator(),
                    "Span the failure ratio is measured over: a number of micro-batches (`10`) or a duration (`5m`)")
            .define("dq.halt.min_rows", LONG, 100L, atLeast(1),
                    "Fewest records the window must hold before it can halt the job, so a handful of bad records cannot")
            .define("dq.metrics_ttl", DURATION, "30d", durationAtLeast(Duration.ZERO),
                    "Time-to-live of the per-batch rows in the `<sink.table>_dq_metrics` table; 0s keeps them forever")

            .define("quarantine.topic", STRING, null, v -> TOPIC_NAME.matcher((String) v).matches() ? null
                    : "must be a Kafka topic name (letters, digits, '.', '_', '-')",
                    "Dead-letter topic for quarantined records, created if missing. Default: `<kafka.topic>.dlq`")
            .define("quarantine.table", STRING, null, cqlIdentifier(),
                    "Cassandra table for quarantined records, created if missing. Default: `<sink.table>_quarantine`")
            .define("quarantine.ttl", DURATION, "7d", durationAtLeast(Duration.ZERO),
                    "Time-to-live of rows in the quarantine table; 0s keeps them forever");

    private final ConfigValues values;
    private List<DqRule> dqRules = List.of();
    private final String origin;

    private PipelineConfig(ConfigValues values, String origin) {
        this.values = values;
        this.origin = origin;
    }

    /** Reads and validates a pipeline file; {@code overrides} are {@code key=value} pairs that win over the file. */
    public static PipelineConfig load(Path file, Map<String, String> overrides) {
        Map<String, Object> flat = PipelineFileReader.read(file, DEFINITION);
        return from(flat, overrides, file.toString());
    }

    public static PipelineConfig from(Map<String, Object> flat, Map<String, String> overrides, String origin) {
        Map<String, Object> merged = new java.util.LinkedHashMap<>(flat);
        merged.putAll(overrides);
        List<ConfigProblem> problems = new ArrayList<>();
        reportReplacedKeys(merged, problems);
        Map<String, Object> resolved = SecretReferences.fromSystem().resolve(DEFINITION.foldMapEntries(merged), problems);
        ConfigValues values = DEFINITION.parse(resolved, problems);
        PipelineConfig config = new PipelineConfig(values, origin);
        config.checkAcrossKeys(problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(origin, problems);
        }
        return config;
    }

    /** Keys that were replaced: a sentence that names the new key instead of "is not a known key". */
    private static final Map<String, String> REPLACED_KEYS = Map.of("sink.replication_factor",
            "was replaced by `sink.replication`: write `sink.replication: SimpleStrategy:<factor>` "
                    + "(or NetworkTopologyStrategy:<dc>=<factor>,...)");

    private static void reportReplacedKeys(Map<String, Object> merged, List<ConfigProblem> problems) {
        REPLACED_KEYS.forEach((key, message) -> {
            if (merged.containsKey(key)) {
                problems.add(new ConfigProblem(key, merged.remove(key), message));
            }
        });
    }

    private void checkAcrossKeys(List<ConfigProblem> problems) {
        checkSourceUrlScheme(problems);
        SourceKeyRules.check(this, problems);
        PushSourceKeyRules.check(this, problems);
        QualityKeyRules.check(this, problems);
        SecurityKeyRules.check(this, problems);
        ApiAuthKeyRules.check(this, problems);
        ReplicationKeyRules.check(this, problems);
        dqRules = DqRuleParser.parse(values.list("dq.rules"), dqEventTime(), problems);
        if (sourceReconnectMax().compareTo(sourceReconnectMin()) < 0) {
            problems.add(new ConfigProblem("source.reconnect_max", Durations.format(sourceReconnectMax()),
                    "must be at least `source.reconnect_min` (" + Durations.format(sourceReconnectMin()) + ")"));
        }
        if (sourceType().equals("websocket") && sourcePingInterval().compareTo(sourceStallTimeout()) >= 0) {
            problems.add(new ConfigProblem("source.ping_interval", Durations.format(sourcePingInterval()),
                    "must be shorter than `source.stall_timeout` (" + Durations.format(sourceStallTimeout())
                            + "), or an idle but healthy WebSocket is taken for a stalled one"));
        }
        if (sinkColumns().containsKey(sinkKeyColumn())) {
            problems.add(new ConfigProblem("sink.columns", sinkKeyColumn(),
                    "must not contain the key column named by `sink.key_column`; Sluice derives it from `record.key`"));
        }
        sinkColumns().keySet().stream().filter(c -> cqlIdentifier().check(c) != null).forEach(c ->
                problems.add(new ConfigProblem("sink.columns", c, "column names " + cqlIdentifier().check(c))));
        if (producerBytesPerSecond() < producerBatchSize() / 64) {
            problems.add(new ConfigProblem("producer.bytes_per_second", producerBytesPerSecond(),
                    "is too small for `producer.batch_size` (" + producerBatchSize() + " bytes); raise it or lower the batch size"));
        }
    }

    /** Each source type speaks one family of URL schemes; a mismatch would only fail at connect time. */
    private void checkSourceUrlScheme(List<ConfigProblem> problems) {
        String url = sourceUrl();
        if (url == null || Validators.url().check(url) != null) {
            return; // already reported by the key's own validator
        }
        String scheme = java.net.URI.create(url).getScheme().toLowerCase(java.util.Locale.ROOT);
        List<String> allowed = switch (sourceType()) {
            case "websocket" -> List.of("ws", "wss");
            case "mqtt" -> List.of("tcp", "mqtt", "ssl");
            case "grpc" -> List.of("grpc", "grpcs");
            default -> List.of("http", "https");
        };
        if (!allowed.contains(scheme)) {
            problems.add(new ConfigProblem("source.url", url, "must use " + String.join(" or ", allowed)
                    + " for `source.type` " + sourceType()));
        }
    }

    public String origin() { return origin; }
    public String name() { return values.string("pipeline.name"); }

    public String sourceType() { return values.string("source.type"); }
    public String sourceUrl() { return values.string("source.url"); }
    public Duration sourceInterval() { return values.duration("source.interval"); }
    public String sourceRecordsPath() { return values.string("source.records_path"); }
    public Duration sourceTimeout() { return values.duration("source.timeout"); }
    /** Null when unset: polls then follow {@link #sourceInterval()}. */
    public String sourceSchedule() { return values.string("source.schedule"); }
    public int sourceMaxRetries() { return values.integer("source.max_retries"); }
    public Duration sourceMaxBackoff() { return values.duration("source.max_backoff"); }
    /** Null when unset. */
    public String sourcePaginationCursorPath() { return values.string("source.pagination.cursor_path"); }
    /** Null when unset. */
    public String sourcePaginationCursorParam() { return values.string("source.pagination.cursor_param"); }
    /** Null when unset. */
    public String sourcePaginationNextLinkPath() { return values.string("source.pagination.next_link_path"); }
    public int sourcePaginationMaxPages() { return values.integer("source.pagination.max_pages"); }
    public int sourceDedupCacheSize() { return values.integer("source.dedup_cache_size"); }
    /** Null when unset (required for `mqtt`). */
    public String sourceMqttTopic() { return values.string("source.mqtt.topic"); }
    /** Null when unset (required for `mqtt`). */
    public String sourceMqttClientId() { return values.string("source.mqtt.client_id"); }
    public Duration sourceMqttSessionExpiry() { return values.duration("source.mqtt.session_expiry"); }
    public Duration sourceStallTimeout() { return values.duration("source.stall_timeout"); }
    public Duration sourceReconnectMin() { return values.duration("source.reconnect_min"); }
    public Duration sourceReconnectMax() { return values.duration("source.reconnect_max"); }
    /** Null when unset. */
    public String sourceSubscribeMessage() { return values.string("source.subscribe_message"); }
    public Duration sourcePingInterval() { return values.duration("source.ping_interval"); }
    /** Null when unset: the WebSocket source then cannot resume and is at-least-once from the server's start. */
    public String sourceResumeParam() { return values.string("source.resume_param"); }
    /** Null when unset; {@link #FRAME_INDEX} for the counting fallback. */
    public String sourcePositionPath() { return values.string("source.position_path"); }
    /** Null when unset. */
    public String sourceInitialPosition() { return values.string("source.initial_position"); }
    /** Null when unset (idle feeds are not reconnected). */
    public Duration sourceIdleTimeout() { return values.duration("source.idle_timeout"); }
    /** Null when unset. */
    public String sourceControlPath() { return values.string("source.control_path"); }
    public List<String> sourceControlValues() { return values.strings("source.control_values"); }
    /** Empty: every event type carries records. */
    public List<String> sourceEventTypes() { return values.strings("source.event_types"); }
    /** True when {@code source.subscribe_message} carries the resume position. */
    /** Null when unset. */
    public String sourceGrpcMethod() { return values.string("source.grpc.method"); }
    public String sourceGrpcRequest() { return values.string("source.grpc.request"); }
    /** Null when unset: reflection. */
    public String sourceGrpcDescriptorSet() { return values.string("source.grpc.descriptor_set"); }
    /** Null when unset. */
    public Duration sourceGrpcDeadline() { return values.duration("source.grpc.deadline"); }
    /** True when the resume position goes into the subscribe message (websocket) or the request (grpc). */
    public boolean resumeTemplateHasPosition() {
        String template = sourceType().equals("grpc") ? sourceGrpcRequest() : sourceSubscribeMessage();
        return template != null && template.contains(POSITION_PLACEHOLDER);
    }

    public boolean subscribeMessageHasPosition() {
        return sourceSubscribeMessage() != null && sourceSubscribeMessage().contains(POSITION_PLACEHOLDER);
    }

    /** Empty when unset; values are secrets: never print them. */
    public Map<String, String> sourceHeaders() { return values.map("source.headers"); }
    public String sourceAuthType() { return values.string("source.auth.type"); }
    /** Null when unset. */
    public Password sourceAuthToken() { return (Password) values.raw("source.auth.token"); }
    /** Null when unset. */
    public String sourceAuthUsername() { return values.string("source.auth.username"); }
    /** Null when unset. */
    public Password sourceAuthPassword() { return (Password) values.raw("source.auth.password"); }
    /** Null when unset. */
    public Password sourceAuthApiKey() { return (Password) values.raw("source.auth.api_key"); }
    /** Null when unset. */
    public String sourceAuthApiKeyHeader() { return values.string("source.auth.api_key_header"); }
    /** Null when unset. */
    public String sourceAuthApiKeyParam() { return values.string("source.auth.api_key_param"); }
    /** Null when unset. */
    public String sourceAuthTokenUrl() { return values.string("source.auth.token_url"); }
    /** Null when unset. */
    public String sourceAuthClientId() { return values.string("source.auth.client_id"); }
    /** Null when unset. */
    public Password sourceAuthClientSecret() { return (Password) values.raw("source.auth.client_secret"); }
    /** Null when unset. */
    public String sourceAuthScope() { return values.string("source.auth.scope"); }
    /** Null when unset. */
    public String sourceAuthAudience() { return values.string("source.auth.audience"); }
    public String sourceAuthClientAuth() { return values.string("source.auth.client_auth"); }
    /** Null when unset. */
    public String sourceTlsTruststorePath() { return values.string("source.tls.truststore.path"); }
    /** Null when unset. */
    public Password sourceTlsTruststorePassword() { return (Password) values.raw("source.tls.truststore.password"); }
    /** Null when unset. */
    public String sourceTlsKeystorePath() { return values.string("source.tls.keystore.path"); }
    /** Null when unset. */
    public Password sourceTlsKeystorePassword() { return (Password) values.raw("source.tls.keystore.password"); }
    public boolean sourceTlsVerifyHostname() { return values.bool("source.tls.verify_hostname"); }

    public String recordKey() { return values.string("record.key"); }
    public String recordSchema() { return values.string("record.schema"); }
    public List<String> recordNumbersAsText() {
        String paths = values.string("record.numbers_as_text");
        return paths == null ? List.of() : Arrays.stream(paths.split(",")).map(String::trim).toList();
    }

    public double producerRecordsPerSecond() { return values.doubleValue("producer.records_per_second"); }
    public long producerBytesPerSecond() { return (Long) values.raw("producer.bytes_per_second"); }
    public int producerQueueCapacity() { return values.integer("producer.queue_capacity"); }
    public String producerOverflow() { return values.string("producer.overflow"); }
    public Duration producerLinger() { return values.duration("producer.linger"); }
    public long producerBatchSize() { return (Long) values.raw("producer.batch_size"); }
    public String producerCompression() { return values.string("producer.compression"); }
    public int producerRetries() { return values.integer("producer.retries"); }
    public Duration producerDeliveryTimeout() { return values.duration("producer.delivery_timeout"); }

    public String kafkaBootstrapServers() { return values.string("kafka.bootstrap_servers"); }
    public String kafkaTopic() { return values.string("kafka.topic"); }
    public int kafkaPartitions() { return values.integer("kafka.partitions"); }
    public int kafkaReplicationFactor() { return values.integer("kafka.replication_factor"); }
    public int kafkaMinInsyncReplicas() { return values.integer("kafka.min_insync_replicas"); }
    public String kafkaSecurityProtocol() { return values.string("kafka.security.protocol"); }
    public String kafkaSaslMechanism() { return values.string("kafka.sasl.mechanism"); }
    /** Null when unset. */
    public String kafkaSaslUsername() { return values.string("kafka.sasl.username"); }
    /** Null when unset. */
    public Password kafkaSaslPassword() { return (Password) values.raw("kafka.sasl.password"); }
    /** Null when unset. */
    public String kafkaSslTruststoreLocation() { return values.string("kafka.ssl.truststore.location"); }
    /** Null when unset. */
    public Password kafkaSslTruststorePassword() { return (Password) values.raw("kafka.ssl.truststore.password"); }
    /** Null when unset. */
    public String kafkaSslKeystoreLocation() { return values.string("kafka.ssl.keystore.location"); }
    /** Null when unset. */
    public Password kafkaSslKeystorePassword() { return (Password) values.raw("kafka.ssl.keystore.password"); }
    /** Null when unset. */
    public Password kafkaSslKeyPassword() { return (Password) values.raw("kafka.ssl.key.password"); }
    public Map<String, String> kafkaProperties() { return values.map("kafka.properties"); }

    public Duration streamTriggerInterval() { return values.duration("stream.trigger_interval"); }
    public long streamMaxOffsetsPerTrigger() { return values.longValue("stream.max_offsets_per_trigger"); }
    public String streamStartingOffsets() { return values.string("stream.starting_offsets"); }
    public String streamMaster() { return values.string("stream.master"); }
    public int streamPartitions() { return values.integer("stream.partitions"); }
    public Map<String, String> streamSparkConf() { return values.map("stream.spark_conf"); }

    /** The checkpoint directory: as configured if absolute, else under {@code dataDir}. */
    public Path checkpointDir(Path dataDir) {
        String configured = values.string("stream.checkpoint_dir");
        if (configured == null || configured.isBlank()) {
            return dataDir.resolve("checkpoints").resolve(name()).toAbsolutePath();
        }
        Path p = Path.of(configured);
        return (p.isAbsolute() ? p : dataDir.resolve(p)).toAbsolutePath();
    }

    public String cassandraContactPoints() { return values.string("cassandra.contact_points"); }
    public String cassandraLocalDc() { return values.string("cassandra.local_dc"); }
    /** Null when unset. */
    public String cassandraUsername() { return values.string("cassandra.username"); }
    /** Null when unset. */
    public Password cassandraPassword() { return (Password) values.raw("cassandra.password"); }
    public boolean cassandraSslEnabled() { return values.bool("cassandra.ssl.enabled"); }
    /** Null when unset. */
    public String cassandraSslTruststorePath() { return values.string("cassandra.ssl.truststore.path"); }
    /** Null when unset. */
    public Password cassandraSslTruststorePassword() { return (Password) values.raw("cassandra.ssl.truststore.password"); }
    /** Null when unset. */
    public String cassandraSslKeystorePath() { return values.string("cassandra.ssl.keystore.path"); }
    /** Null when unset. */
    public Password cassandraSslKeystorePassword() { return (Password) values.raw("cassandra.ssl.keystore.password"); }
    /** Everything a client needs to reach Cassandra: one place for every session Sluice opens. */
    public CassandraConnection cassandraConnection() { return CassandraConnection.from(this); }

    public String sinkKeyspace() { return values.string("sink.keyspace"); }
    public String sinkTable() { return values.string("sink.table"); }
    /** Validated at load. */
    public KeyspaceReplication sinkReplication() { return KeyspaceReplication.parse(values.string("sink.replication")); }
    public String sinkKeyColumn() { return values.string("sink.key_column"); }
    public Map<String, String> sinkColumns() { return values.map("sink.columns"); }
    public Duration sinkTtl() { return values.duration("sink.ttl"); }
    public String sinkConsistency() { return values.string("sink.consistency"); }
    public int sinkConcurrentWrites() { return values.integer("sink.concurrent_writes"); }
    public double sinkThroughputMbPerSec() { return values.doubleValue("sink.throughput_mb_per_sec"); }
    public String sinkWriter() { return values.string("sink.writer"); }
    public double sinkMaxRowsPerSecond() { return values.doubleValue("sink.max_rows_per_second"); }
    public String sinkBatchGrouping() { return values.string("sink.batch_grouping"); }
    public boolean sinkAdaptive() { return values.bool("sink.adaptive"); }
    /** Null when unset: the target is then {@link #sinkAdaptiveBaselineMultiple()} times the measured baseline. */
    public Duration sinkAdaptiveLatencyTarget() { return values.duration("sink.adaptive.latency_target"); }
    public double sinkAdaptiveBaselineMultiple() { return values.doubleValue("sink.adaptive.baseline_multiple"); }
    public int sinkAdaptiveMinConcurrency() { return values.integer("sink.adaptive.min_concurrency"); }
    public double sinkAdaptiveMinRowsPerSecond() { return values.doubleValue("sink.adaptive.min_rows_per_second"); }
    public boolean sinkAdaptiveNeighbours() { return values.bool("sink.adaptive.neighbours"); }
    public double sinkAdaptiveNeighbourLatencyMultiple() {
        return values.doubleValue("sink.adaptive.neighbour_latency_multiple");
    }
    public double sinkAdaptiveNeighbourMinRequestsPerSecond() {
        return values.doubleValue("sink.adaptive.neighbour_min_requests_per_second");
    }
    public Duration sinkWriteRetryTimeout() { return values.duration("sink.write_retry_timeout"); }
    /** Null when unset: batches are then sized by {@link #sinkBatchSizeBytes()}. */
    public Integer sinkBatchSizeRows() { return (Integer) values.raw("sink.batch_size_rows"); }
    public long sinkBatchSizeBytes() { return (Long) values.raw("sink.batch_size_bytes"); }
    public int sinkBatchBufferSize() { return values.integer("sink.batch_buffer_size"); }
    /** Null when unset. */
    public String sinkTtlColumn() { return values.string("sink.ttl_column"); }
    /** Null when unset. */
    public String sinkTimeBucketColumn() { return values.string("sink.time_bucket.column"); }
    /** Null when unset. */
    public String sinkTimeBucketExpression() { return values.string("sink.time_bucket.expression"); }

    /** Checked for shape at load; see {@link DqRule}. */
    public List<DqRule> dqRules() { return dqRules; }
    /** Null when unset. */
    public String dqEventTime() { return values.string("dq.event_time"); }
    public long dqMaxRecordBytes() { return (Long) values.raw("dq.max_record_bytes"); }
    public double dqHaltMaxFailureRatio() { return values.doubleValue("dq.halt.max_failure_ratio"); }
    public HaltWindow dqHaltWindow() { return HaltWindow.parse(values.string("dq.halt.window")); }
    public long dqHaltMinRows() { return values.longValue("dq.halt.min_rows"); }
    public Duration dqMetricsTtl() { return values.duration("dq.metrics_ttl"); }
    /** Per-batch quality metrics, keyed by pipeline and batch id: {@code <sink.table>_dq_metrics}. */
    public String dqMetricsTable() { return sinkTable() + "_dq_metrics"; }

    public String quarantineTopic() {
        String topic = values.string("quarantine.topic");
        return topic != null ? topic : kafkaTopic() + ".dlq";
    }
    public String quarantineTable() {
        String table = values.string("quarantine.table");
        return table != null ? table : sinkTable() + "_quarantine";
    }
    public Duration quarantineTtl() { return values.duration("quarantine.ttl"); }
}
