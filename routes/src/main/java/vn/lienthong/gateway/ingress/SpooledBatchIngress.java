package vn.lienthong.gateway.ingress;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lienthong.connectors.spi.Connector;
import vn.lienthong.connectors.spi.Connectors;
import vn.lienthong.connectors.spi.DecodeException;
import vn.lienthong.connectors.spi.Decoded;
import vn.lienthong.connectors.spi.DecodedSink;
import vn.lienthong.connectors.files.ReceiptFileWriter;
import vn.lienthong.connectors.files.ReceiptFiles;
import vn.lienthong.gateway.receipts.ReceiptFactory;
import vn.lienthong.gateway.receipts.ReceiptSigner;
import vn.lienthong.gateway.journal.GroupCommitter;
import vn.lienthong.gateway.journal.JournalEntry;
import vn.lienthong.gateway.journal.Recorded;
import vn.lienthong.schemas.errors.ErrorCode;
import vn.lienthong.schemas.errors.ValidationError;

/**
 * Records an input file in bounded memory, however large (a tax batch of a million rows, DESIGN §8):
 * the file is on local disk (the SFTP consumer spools it there) and is read twice, never held. The
 * first pass ({@link #check}) is the pipeline's refusal chain, the one every input goes through: it
 * computes the SHA-256 and lets the connector check the whole structure (a tax batch's trailer)
 * with a sink that only counts; a file refused there records nothing but its one whole-file
 * refusal. The second pass decodes again and records the items in chunks of the
 * journal's batch size, a chunk committing while the next is decoded, and writes the receipt file
 * as the chunks commit (formats/tax-csv/README.md §7).
 *
 * <p>A crash between chunks leaves the file in inbox/: read again, the rows already committed are
 * duplicates (their messageIds derive from the batch id and the row) and get their original
 * receipts, so the result file is whole. What the journal keeps as an item's original: the exact
 * file when it holds one item and is at most {@value #MAX_ORIGINAL_BYTES} bytes; else the item's
 * canonical JSON, or for a row that could not be decoded (and for a whole-file refusal of a larger
 * file) a note naming the file and where, the file itself being kept in the agency's error/ folder.
 */
public final class SpooledBatchIngress {

    private static final Logger LOG = LoggerFactory.getLogger(SpooledBatchIngress.class);

    /** Largest file the journal keeps whole as an original. */
    public static final int MAX_ORIGINAL_BYTES = 16 * 1024 * 1024;

    /** Chunks committing or waiting to commit while the next is decoded. */
    private static final int IN_FLIGHT = 2;

    /**
     * The workers of a chunk's checks, on every core, named for thread dumps and profiles and apart
     * from the common pool other parallel work shares. (The common pool once refused rows: its
     * threads' context loader cannot read the schemas inside the jar; the schemas are now loaded with
     * their own module's loader, SchemaCatalog, and the gateway's loader stays the context here.)
     */
    private static final ForkJoinPool CHECKS = new ForkJoinPool(Runtime.getRuntime().availableProcessors(), pool -> {
        ForkJoinWorkerThread worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        worker.setName("batch-check-" + worker.getPoolIndex());
        worker.setContextClassLoader(SpooledBatchIngress.class.getClassLoader());
        worker.setDaemon(true);
        return worker;
    }, null, false);

    /** What became of a file. */
    public record Outcome(boolean allAccepted, long items) {
    }

    private final IngressPipeline pipeline;
    private final GroupCommitter journal;
    private final Connectors connectors;
    private final int chunkSize;
    private final boolean batchSignatures;

    /**
     * @param chunkSize the items recorded per journal submission (the journal's batch size)
     */
    public SpooledBatchIngress(IngressPipeline pipeline, GroupCommitter journal, Connectors connectors, int chunkSize) {
        this(pipeline, journal, connectors, chunkSize, true);
    }

    /**
     * @param chunkSize the items recorded per journal submission (the journal's batch size)
     * @param batchSignatures whether a chunk's receipts are signed with one signature (batch
     *     receipts), else one each
     */
    public SpooledBatchIngress(IngressPipeline pipeline, GroupCommitter journal, Connectors connectors, int chunkSize,
            boolean batchSignatures) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be positive");
        }
        this.pipeline = pipeline;
        this.journal = journal;
        this.connectors = connectors;
        this.chunkSize = chunkSize;
        this.batchSignatures = batchSignatures;
    }

    /** The receipt files of a format: the format's own (tax-csv's result CSV), else JSON. */
    public ReceiptFiles receiptFiles(String format) {
        return ReceiptFiles.forFormat(format);
    }

    /**
     * The check step of a file: the refusal chain over its first pass (its hash, and its whole
     * structure checked by the connector with a sink that only counts).
     *
     * @param file the input, on local disk
     * @param name the input's name, for messages
     * @param arrival its source, format, time, and what the channel's identity check said about the
     *     sender (a refusal refuses the whole file)
     */
    public IngressPipeline.Screening check(Path file, String name, Inbound arrival) throws IOException {
        IngressPipeline.Screening screening = pipeline.screen(arrival, new SpooledFile(file, name, null), item -> { });
        long size = Files.size(file);
        if (screening instanceof IngressPipeline.Screening.Admitted admitted && admitted.items() == 1
                && size > pipeline.maxInputBytes()) {
            // One message in a file is one message: no larger than over any other channel.
            return pipeline.screen(arrival, new SpooledFile(file, name, ValidationError.of(ErrorCode.BODY_TOO_LARGE, "",
                    String.format("the file holds one message of %,d bytes; at most %,d are accepted (attachments"
                            + " travel by reference)", size, pipeline.maxInputBytes()))), item -> { });
        }
        return screening;
    }

    /**
     * The record step of a checked file: records it and writes its receipt file; returns whether
     * every item was accepted (or a duplicate). A file refused whole records its one refusal; an
     * admitted one is decoded again and recorded in chunks. A failed commit throws, and the caller
     * leaves the file where it was.
     *
     * @param screening what {@link #check} said of the file
     * @param receiptFile where the receipt file goes (flushed, not closed)
     * @param signatures where the signed receipts go, one compact JWS per line in the receipt file's
     *     order (flushed, not closed)
     */
    public Outcome record(Path file, String name, Inbound arrival, IngressPipeline.Screening screening,
            OutputStream receiptFile, OutputStream signatures) throws IOException {
        long started = System.nanoTime();
        String format = arrival.format();
        SignedReceipts receipts = new SignedReceipts(receiptFiles(format).writer(receiptFile), signatures);
        if (screening instanceof IngressPipeline.Screening.Refused refused) {
            Recorded r = journal.record(List.of(refused.entry())).get(0);
            receipts.add(r.receipt());
            receipts.finish();
            return new Outcome(false, 0);
        }
        Connector connector = connectors.forFormat(format).orElseThrow();
        String inputSha256 = screening.inputSha256();
        long count = ((IngressPipeline.Screening.Admitted) screening).items();
        long size = Files.size(file);
        byte[] single = count == 1 && size <= MAX_ORIGINAL_BYTES ? Files.readAllBytes(file) : null;
        Chunks chunks = new Chunks(receipts, item -> pipeline.checkItem(arrival, inputSha256, item.decoded(),
                item.original()));
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            connector.decode(in, name, item -> chunks.add(item, single != null ? single
                    : item instanceof Decoded.Canonical c ? c.json() : note(name, item.location())));
        } catch (DecodeException e) {
            // The first pass read the same bytes without refusal: the disk or the connector changed.
            throw new IllegalStateException(name + " decoded the second time with an error: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        chunks.drain();
        receipts.finish();
        if (LOG.isInfoEnabled() && chunks.items > chunkSize) {
            LOG.info("{}: {} items recorded in {} ms (waiting for the journal {} ms)", name, chunks.items,
                    (System.nanoTime() - started) / 1_000_000, chunks.waitedNanos / 1_000_000);
        }
        return new Outcome(chunks.allAccepted, chunks.items);
    }

    /**
     * The file as the refusal chain reads it, once: hashed while the connector decodes it (the rest
     * hashed after, read or not); kept whole as the original of a refusal up to
     * {@value #MAX_ORIGINAL_BYTES} bytes, else a note naming it (the file itself goes to error/).
     */
    private static final class SpooledFile implements IngressPipeline.WholeInput {
        private final Path file;
        private final String name;
        private final ValidationError known;
        private final MessageDigest sha = newDigest();
        private boolean read;

        /** @param known a refusal already known (the file is one message too large), or null */
        SpooledFile(Path file, String name, ValidationError known) {
            this.file = file;
            this.name = name;
            this.known = known;
        }

        /**
         * Before any connector reads it: empty, or not well-formed UTF-8 (every format is; checked
         * in a pass of its own, streamed).
         */
        @Override
        public Optional<ValidationError> refusal() throws IOException {
            if (known != null) {
                return Optional.of(known);
            }
            if (Files.size(file) == 0) {
                return Optional.of(ValidationError.of(ErrorCode.EMPTY_BODY, "",
                        "the input holds no message (zero bytes, or only white space)"));
            }
            StrictUtf8 utf8 = new StrictUtf8();
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0;) {
                    utf8.update(buffer, 0, n);
                }
            }
            return utf8.finish().map(problem -> ValidationError.of(ErrorCode.INVALID_UTF8, "", problem));
        }

        @Override
        public void decode(Connector connector, DecodedSink sink) throws DecodeException, IOException {
            read = true;
            try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), sha)) {
                try {
                    connector.decode(in, name, sink);
                } finally {
                    in.transferTo(OutputStream.nullOutputStream()); // the hash covers the whole file
                }
            }
        }

        @Override
        public String sha256() throws IOException {
            if (!read) {
                read = true;
                try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), sha)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        }

        @Override
        public byte[] original() throws IOException {
            long size = Files.size(file);
            return size <= MAX_ORIGINAL_BYTES ? Files.readAllBytes(file)
                    : note(name, "the whole file (" + size + " bytes), kept in error/");
        }
    }

    /**
     * The receipt file, rendered by the connector from what was signed (the payloads), and beside it
     * the signed receipts themselves.
     */
    private static final class SignedReceipts {
        private final ReceiptFileWriter file;
        private final OutputStream signatures;

        SignedReceipts(ReceiptFileWriter file, OutputStream signatures) {
            this.file = file;
            this.signatures = signatures;
        }

        void add(byte[] jws) throws IOException {
            add(jws, false);
        }

        /** A duplicate's row says so (a tax result row: DUPLICATE); its signed receipt is the original. */
        void add(byte[] jws, boolean duplicate) throws IOException {
            add(jws, duplicate, null);
        }

        /**
         * {@code payload}: the receipt JSON that {@code jws} signs, when known (the chunk's unsigned
         * receipt before its batch signature), so it need not be parsed back out of the signed form.
         */
        void add(byte[] jws, boolean duplicate, byte[] payload) throws IOException {
            file.add(duplicate ? ReceiptSigner.duplicatePayload(jws)
                    : payload != null ? payload : ReceiptSigner.payload(jws));
            signatures.write(jws);
            signatures.write('\n');
        }

        void finish() throws IOException {
            file.finish();
            signatures.flush();
        }
    }

    /** A decoded item and the bytes the journal keeps for it. */
    private record Item(Decoded decoded, byte[] original) {
    }

    private static byte[] note(String name, String where) {
        return ("input " + name + ", " + where).getBytes(StandardCharsets.UTF_8);
    }

    /** The entries of the file in chunks, committed in order while decoding goes on, receipts written as they commit. */
    private final class Chunks {
        private final SignedReceipts receipts;
        private final Function<Item, JournalEntry> check;
        private final Deque<InFlight> inFlight = new ArrayDeque<>();
        private List<Item> current = new ArrayList<>(chunkSize);
        private boolean allAccepted = true;
        private long items;
        private long waitedNanos;

        Chunks(SignedReceipts receipts, Function<Item, JournalEntry> check) {
            this.receipts = receipts;
            this.check = check;
        }

        void add(Decoded item, byte[] original) {
            current.add(new Item(item, original));
            if (current.size() >= chunkSize) {
                submit();
            }
        }

        private void submit() {
            // The checks of a chunk (validation, authorization, receipt) are independent: on every core, in order.
            List<JournalEntry> entries;
            List<Item> chunk = current;
            Map<byte[], byte[]> payloads = new IdentityHashMap<>();
            if (batchSignatures) {
                // Receipts written unsigned on every worker, then the chunk's signed with one signature.
                ReceiptFactory factory = pipeline.receipts();
                List<JournalEntry> unsigned = CHECKS.submit(() -> chunk.parallelStream()
                        .map(item -> factory.unsigned(() -> check.apply(item))).toList()).join();
                entries = pipeline.signTogether(unsigned);
                // Each signed receipt's payload is the unsigned receipt it was made of: the result
                // file's row, not parsed back out of the signed form.
                for (int i = 0; i < entries.size(); i++) {
                    payloads.put(entries.get(i).receipt(), unsigned.get(i).receipt());
                }
            } else {
                entries = CHECKS.submit(() -> chunk.parallelStream().map(check).toList()).join();
            }
            inFlight.addLast(new InFlight(journal.submit(entries), payloads));
            current = new ArrayList<>(chunkSize);
            while (inFlight.size() > IN_FLIGHT) {
                write(inFlight.removeFirst());
            }
        }

        void drain() {
            if (!current.isEmpty()) {
                submit();
            }
            while (!inFlight.isEmpty()) {
                write(inFlight.removeFirst());
            }
        }

        private void write(InFlight chunk) {
            List<Recorded> recorded;
            long before = System.nanoTime();
            try {
                recorded = chunk.committed().join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            } finally {
                waitedNanos += System.nanoTime() - before;
            }
            try {
                for (Recorded r : recorded) {
                    items++;
                    allAccepted &= !(r instanceof Recorded.Quarantined);
                    // A recorded receipt is the submitted entry's own (the same array) unless the
                    // journal answered otherwise (a duplicate's original, a reuse's refusal).
                    receipts.add(r.receipt(), r instanceof Recorded.Duplicate, chunk.payloads().get(r.receipt()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A chunk submitted to the journal, and the receipt JSON each of its signed receipts signs. */
    private record InFlight(CompletableFuture<List<Recorded>> committed, Map<byte[], byte[]> payloads) {
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
