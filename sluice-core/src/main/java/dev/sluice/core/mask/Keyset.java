package dev.sluice.core.mask;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The secrets behind PII tokens, kept out of the YAML config and out of logs. Several keys can coexist so keys can
 * rotate: new tokens use the primary key, and every token names the key that made it, so older tokens still
 * unmask after a rotation.
 *
 * <p>File format (JSON):
 * <pre>{@code
 * {"primary": "3f9a0c12",
 *  "keys": [{"id": "3f9a0c12", "created": "2025-01-02T03:04:05Z", "secret": "<base64 of 64 random bytes>"}]}
 * }</pre>
 * Working keys are derived per key with HKDF-SHA256 ("sluice hmac v1" → 32 bytes, "sluice siv v1" → 64 bytes for
 * AES-SIV), so the stored secret itself never keys a primitive.
 *
 * <pre>{@code
 * Keyset.generate().writeTo(Path.of("keyset.json"));              // created 0600, never overwritten by accident
 * Keyset keys = Keyset.fromEnvironment();                         // SLUICE_KEYSET or SLUICE_KEYSET_FILE
 * Keyset.readFrom(path).rotate().writeTo(path, true);             // new primary, old keys kept
 * }</pre>
 *
 * <p>Wrapped under a KMS key (envelope encryption, {@link KeysetWrapping}) the file holds no cleartext key:
 * <pre>{@code
 * {"kmsKeyUri": "aws-kms://arn:aws:kms:eu-west-1:123456789012:key/…", "encryptedKeyset": "<base64>"}
 * }</pre>
 * and is read only when the configuration names that same key ({@code keys.kmsKeyUri} or
 * {@value #ENV_KEYSET_KMS_KEY_URI}), so a file swapped for one wrapped under someone else's key is refused, and so
 * is a cleartext keyset where a wrapped one is expected.
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} shows key ids only.
 */
public final class Keyset {

    public static final String ENV_KEYSET = "SLUICE_KEYSET";
    public static final String ENV_KEYSET_FILE = "SLUICE_KEYSET_FILE";
    /** The KMS key a wrapped keyset is expected under, when the configuration does not name it. */
    public static final String ENV_KEYSET_KMS_KEY_URI = "SLUICE_KEYSET_KMS_KEY_URI";
    private static final String KMS_KEY_URI = "kmsKeyUri";
    private static final String ENCRYPTED_KEYSET = "encryptedKeyset";

    private static final int SECRET_BYTES = 64;
    private static final int LARGEST_FILE = 1 << 20;
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{8}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE));

    /** One stored key; the secret stays inside the keyset. */
    public record Key(String id, Instant created) {
    }

    private record Entry(Key key, byte[] secret) {
    }

    private final String primary;
    private final List<Entry> entries;
    private final Map<String, KeyMaterial> material;

    private Keyset(String primary, List<Entry> entries) {
        this.primary = primary;
        this.entries = List.copyOf(entries);
        Map<String, KeyMaterial> derived = new LinkedHashMap<>();
        for (Entry entry : entries) {
            derived.put(entry.key().id(), new KeyMaterial(entry.key().id(), entry.secret()));
        }
        this.material = Map.copyOf(derived);
    }

    /** A new keyset with one fresh random key. */
    public static Keyset generate() {
        Entry entry = newEntry(Set.of());
        return new Keyset(entry.key().id(), List.of(entry));
    }

    /** This keyset plus a fresh key that becomes the primary; all old keys are kept so old tokens still unmask. */
    public Keyset rotate() {
        Set<String> taken = new HashSet<>(material.keySet());
        Entry entry = newEntry(taken);
        List<Entry> all = new ArrayList<>(entries);
        all.add(entry);
        return new Keyset(entry.key().id(), all);
    }

    private static Entry newEntry(Set<String> taken) {
        String id;
        do {
            byte[] idBytes = new byte[4];
            RANDOM.nextBytes(idBytes);
            id = HexFormat.of().formatHex(idBytes);
        } while (taken.contains(id));
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return new Entry(new Key(id, Instant.now().truncatedTo(ChronoUnit.SECONDS)), secret);
    }

    public String primaryId() {
        return primary;
    }

    public List<Key> keys() {
        return entries.stream().map(Entry::key).toList();
    }

    KeyMaterial primaryMaterial() {
        return material.get(primary);
    }

    /** The key with {@code id}, or a clear error naming the id and the ids this keyset has. */
    KeyMaterial material(String id) {
        KeyMaterial found = material.get(id);
        if (found == null) {
            throw new KeysetException("key " + id + " is not in this keyset (it has " + material.keySet().stream()
                    .sorted().toList() + "); was the token made with another keyset?");
        }
        return found;
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    /**
     * The keyset from {@code keysetFile}, else from the environment ({@link #fromEnvironment(Map)}); wrapped under
     * {@code kmsKeyUri} when that is given, else under {@value #ENV_KEYSET_KMS_KEY_URI} when that is set, else
     * cleartext.
     */
    public static Keyset load(Path keysetFile, String kmsKeyUri, Map<String, String> environment) {
        String uri = kmsKeyUri != null ? kmsKeyUri : environment.get(ENV_KEYSET_KMS_KEY_URI);
        uri = uri == null || uri.isBlank() ? null : uri.strip();
        return keysetFile == null ? fromEnvironment(environment, uri) : readFrom(keysetFile, uri);
    }

    /** Reads a cleartext keyset file ({@link #readFrom(Path, String)} without a KMS key). */
    public static Keyset readFrom(Path file) {
        return readFrom(file, null);
    }

    /**
     * Reads a keyset file, refusing one that group or others could read: such a file may already have leaked.
     *
     * @param kmsKeyUri the KMS key the file must be wrapped under; {@code null}: it must be cleartext
     */
    public static Keyset readFrom(Path file, String kmsKeyUri) {
        return parse(readText(file), "keyset file " + file, kmsKeyUri);
    }

    /** The KMS key a keyset file is wrapped under, or empty for a cleartext one; reads no key. */
    public static Optional<String> wrappingOf(Path file) {
        JsonNode root = tree(readText(file), "keyset file " + file);
        JsonNode uri = root.get(KMS_KEY_URI);
        return root.has(ENCRYPTED_KEYSET) && uri != null && uri.isString()
                ? Optional.of(uri.stringValue()) : Optional.empty();
    }

    private static String readText(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            throw new KeysetException("keyset file " + file + " is on a file system without POSIX permissions;"
                    + " Sluice cannot check that only its owner can read it", e);
        } catch (IOException e) {
            throw new KeysetException("cannot read keyset file " + file + ": " + describe(e), e);
        }
        if (permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            throw new KeysetException("keyset file " + file + " must not be readable by group or others (chmod 600 "
                    + file + ")");
        }
        try {
            if (Files.size(file) > LARGEST_FILE) {
                throw new KeysetException("keyset file " + file + " is larger than " + LARGEST_FILE
                        + " bytes; it is not a keyset");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KeysetException("cannot read keyset file " + file + ": " + describe(e), e);
        }
    }

    /** The keyset from {@code SLUICE_KEYSET} (the JSON itself) or {@code SLUICE_KEYSET_FILE} (a path). */
    public static Keyset fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * {@link #fromEnvironment()} reading the given variables, for tests and for launchers that filter env; wrapped
     * under {@value #ENV_KEYSET_KMS_KEY_URI} when that is set.
     */
    public static Keyset fromEnvironment(Map<String, String> environment) {
        return load(null, null, environment);
    }

    private static Keyset fromEnvironment(Map<String, String> environment, String kmsKeyUri) {
        String json = environment.get(ENV_KEYSET);
        String file = environment.get(ENV_KEYSET_FILE);
        boolean hasJson = json != null && !json.isBlank();
        boolean hasFile = file != null && !file.isBlank();
        if (hasJson && hasFile) {
            throw new KeysetException("both " + ENV_KEYSET + " and " + ENV_KEYSET_FILE + " are set; set only one");
        }
        if (hasJson) {
            return parse(json, "environment variable " + ENV_KEYSET, kmsKeyUri);
        }
        if (hasFile) {
            return readFrom(Path.of(file.strip()), kmsKeyUri);
        }
        throw new KeysetException("no keyset: set " + ENV_KEYSET + " to the keyset JSON or " + ENV_KEYSET_FILE
                + " to the path of a keyset file");
    }

    /** Parses cleartext keyset JSON; {@code source} names where it came from in errors. Never echoes the content. */
    public static Keyset parse(String json, String source) {
        return parse(json, source, null);
    }

    /**
     * Parses keyset JSON, unwrapping it with the KMS when it is wrapped.
     *
     * @param kmsKeyUri the KMS key it must be wrapped under; {@code null}: it must be cleartext
     */
    public static Keyset parse(String json, String source, String kmsKeyUri) {
        JsonNode root = tree(json, source);
        boolean wrapped = root.has(ENCRYPTED_KEYSET);
        if (wrapped) {
            JsonNode uriNode = root.get(KMS_KEY_URI);
            String wrappedUnder = uriNode != null && uriNode.isString() ? uriNode.stringValue() : null;
            if (wrappedUnder == null) {
                throw new KeysetException(source + ": a wrapped keyset must name its \"" + KMS_KEY_URI + "\"");
            }
            if (kmsKeyUri == null) {
                throw new KeysetException(source + ": the keyset is wrapped by the KMS key " + wrappedUnder
                        + "; set keys.kmsKeyUri (or " + ENV_KEYSET_KMS_KEY_URI + ") to that key to read it, or "
                        + "`sluice keys unwrap` it to leave KMS");
            }
            if (!wrappedUnder.equals(kmsKeyUri)) {
                throw new KeysetException(source + ": the keyset is wrapped by the KMS key " + wrappedUnder
                        + ", not by the configured " + kmsKeyUri);
            }
            JsonNode encrypted = root.get(ENCRYPTED_KEYSET);
            byte[] ciphertext;
            try {
                ciphertext = Base64.getDecoder().decode(encrypted.isString() ? encrypted.stringValue() : "?");
            } catch (IllegalArgumentException e) {
                throw new KeysetException(source + ": \"" + ENCRYPTED_KEYSET + "\" must be base64");
            }
            byte[] plain = KeysetWrapping.unwrap(ciphertext, KeysetWrapping.requireUri(kmsKeyUri), source);
            return parsePlain(tree(new String(plain, StandardCharsets.UTF_8), source + " (unwrapped)"),
                    source + " (unwrapped)");
        }
        if (kmsKeyUri != null) {
            throw new KeysetException(source + ": a cleartext keyset, but keys.kmsKeyUri (or "
                    + ENV_KEYSET_KMS_KEY_URI + ") expects one wrapped by the KMS key " + kmsKeyUri + "; wrap it with "
                    + "`sluice keys wrap --kms-key-uri " + kmsKeyUri + "`, or unset the KMS key to read it as it is");
        }
        return parsePlain(root, source);
    }

    private static JsonNode tree(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new KeysetException(source + ": not valid JSON" + where);
        }
        if (root == null || !root.isObject()) {
            throw new KeysetException(source + ": expected a JSON object with \"primary\" and \"keys\"");
        }
        return root;
    }

    private static Keyset parsePlain(JsonNode root, String source) {
        JsonNode primaryNode = root.get("primary");
        JsonNode keysNode = root.get("keys");
        if (primaryNode == null || !primaryNode.isString()) {
            throw new KeysetException(source + ": \"primary\" must be the id of one of the keys");
        }
        if (keysNode == null || !keysNode.isArray() || keysNode.isEmpty()) {
            throw new KeysetException(source + ": \"keys\" must be a non-empty array");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int index = 0;
        for (JsonNode keyNode : keysNode) {
            Entry entry = parseKey(keyNode, source + ": keys[" + index++ + "]");
            if (!ids.add(entry.key().id())) {
                throw new KeysetException(source + ": key id " + entry.key().id() + " appears twice");
            }
            entries.add(entry);
        }
        String primary = primaryNode.stringValue();
        if (!ids.contains(primary)) {
            throw new KeysetException(source + ": primary key " + (KEY_ID.matcher(primary).matches() ? primary
                    : "(not a key id)") + " is not among the keys " + ids.stream().sorted().toList());
        }
        return new Keyset(primary, entries);
    }

    private static Entry parseKey(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new KeysetException(where + ": expected an object with id, created and secret");
        }
        JsonNode id = node.get("id");
        if (id == null || !id.isString() || !KEY_ID.matcher(id.stringValue()).matches()) {
            throw new KeysetException(where + ": \"id\" must be 8 lowercase hex digits");
        }
        String keyId = id.stringValue();
        JsonNode created = node.get("created");
        Instant createdAt;
        try {
            createdAt = Instant.parse(created == null ? "" : created.asString());
        } catch (DateTimeParseException e) {
            throw new KeysetException(where + " (key " + keyId + "): \"created\" must be an ISO-8601 instant such as"
                    + " 2025-01-02T03:04:05Z");
        }
        JsonNode secret = node.get("secret");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(secret == null || !secret.isString() ? "?" : secret.stringValue());
        } catch (IllegalArgumentException e) {
            throw new KeysetException(where + " (key " + keyId + "): \"secret\" must be base64");
        }
        if (bytes.length != SECRET_BYTES) {
            throw new KeysetException(where + " (key " + keyId + "): \"secret\" must hold " + SECRET_BYTES
                    + " bytes, it holds " + bytes.length);
        }
        return new Entry(new Key(keyId, createdAt), bytes);
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    /**
     * The keyset as JSON, <b>secrets included</b>: for {@link #writeTo} and for filling {@code SLUICE_KEYSET} in a
     * secret store. Never log it.
     */
    public String toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("primary", primary);
        ArrayNode keys = root.putArray("keys");
        for (Entry entry : entries) {
            keys.addObject()
                    .put("id", entry.key().id())
                    .put("created", entry.key().created().toString())
                    .put("secret", Base64.getEncoder().encodeToString(entry.secret()));
        }
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    /**
     * The keyset wrapped under a KMS key: the JSON of a keyset file that holds no cleartext key. Calls the KMS
     * (to wrap a fresh data key).
     */
    public String toWrappedJson(String kmsKeyUri) {
        byte[] wrapped = KeysetWrapping.wrap(toJson().getBytes(StandardCharsets.UTF_8),
                KeysetWrapping.requireUri(kmsKeyUri));
        ObjectNode root = MAPPER.createObjectNode();
        root.put(KMS_KEY_URI, kmsKeyUri);
        root.put(ENCRYPTED_KEYSET, Base64.getEncoder().encodeToString(wrapped));
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    /** Writes a new keyset file readable by its owner only; refuses to replace an existing file. */
    public void writeTo(Path file) {
        writeTo(file, false);
    }

    /** {@link #writeTo(Path, boolean)}, wrapped under {@code kmsKeyUri} unless that is {@code null}. */
    public void writeTo(Path file, boolean replace, String kmsKeyUri) {
        write(file, replace, kmsKeyUri == null ? toJson() : toWrappedJson(kmsKeyUri));
    }

    /**
     * Writes the keyset to {@code file}, created with permissions 0600 from the start (no moment with wider ones).
     * With {@code replace}, an existing file is replaced atomically (a new 0600 file is written beside it and moved
     * over it), so a crash leaves either the old or the new keyset, never half of one.
     */
    public void writeTo(Path file, boolean replace) {
        write(file, replace, toJson());
    }

    private static void write(Path file, boolean replace, String json) {
        byte[] content = json.getBytes(StandardCharsets.UTF_8);
        if (!replace) {
            try {
                writeNew(file, content);
            } catch (FileAlreadyExistsException e) {
                throw new KeysetException("keyset file " + file + " already exists; refusing to overwrite it (its keys"
                        + " may be the only way to unmask existing tokens)", e);
            } catch (IOException | UnsupportedOperationException e) {
                throw new KeysetException("cannot write keyset file " + file + ": " + describe(e), e);
            }
            return;
        }
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, ".keyset-", ".tmp", OWNER_ONLY);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                write(channel, content);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UnsupportedOperationException e) {
            deleteQuietly(temporary, e);
            throw new KeysetException("cannot write keyset file " + file + ": " + describe(e), e);
        }
    }

    private static void writeNew(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, EnumSet.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), OWNER_ONLY)) {
            write(channel, content);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            deleteQuietly(file, e);
            throw e;
        }
    }

    private static void write(FileChannel channel, byte[] content) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(true);
    }

    /** Removes a half-written file; a failure to do so is attached to the original error, not lost. */
    private static void deleteQuietly(Path file, Exception original) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            original.addSuppressed(e);
        }
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    @Override
    public String toString() {
        return "Keyset[primary=" + primary + ", keys=" + entries.stream()
                .map(entry -> entry.key().id() + "@" + entry.key().created()).toList() + "]";
    }
}
