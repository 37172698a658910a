package dev.ipcboot.socket.shm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@code ShmServer} (in {@code internal}) needs, validated by the
 * auto-configuration.
 *
 * @param name name of the server, which is also its channel name
 * @param path the Unix-domain socket where clients meet the server and receive their
 * memory
 * @param ringCapacity bytes of each of a connection's two rings (a power of two)
 * @param spin how many times a waiting side looks at its ring before it sleeps; 0 sleeps
 * at once
 * @param maxMessageSize largest message in bytes, in either direction
 * @param maxConnections most connections open at once; more are closed on accept
 * @param allowedUids uids admitted; empty for any the socket file's mode lets in
 * @param writeTimeout how long a sender waits for a peer that takes nothing
 */
public record ShmServerSettings(String name, Path path, int ringCapacity, int spin, int maxMessageSize,
		int maxConnections, Set<Integer> allowedUids, Duration writeTimeout) {

	/**
	 * The property that defines this server, for messages.
	 * @return {@code ipc.servers.<name>}
	 */
	public String property() {
		return "ipc.servers." + this.name;
	}

	/**
	 * A builder holding these settings, to change some of them (what a
	 * {@code ShmServerCustomizer} bean receives).
	 * @return a builder; {@link Builder#build()} makes new settings
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/**
	 * Settings of a shm server being changed ({@link ShmServerSettings#toBuilder()}). The
	 * name stays: it names the server's bean, channel and properties; so does the socket
	 * path, which the properties place. Each value has a getter and a setter of the same
	 * name.
	 */
	public static final class Builder {

		private final ShmServerSettings settings;

		private int ringCapacity;

		private int spin;

		private int maxMessageSize;

		private int maxConnections;

		private Set<Integer> allowedUids;

		private Duration writeTimeout;

		private Builder(ShmServerSettings settings) {
			this.settings = settings;
			this.ringCapacity = settings.ringCapacity;
			this.spin = settings.spin;
			this.maxMessageSize = settings.maxMessageSize;
			this.maxConnections = settings.maxConnections;
			this.allowedUids = settings.allowedUids;
			this.writeTimeout = settings.writeTimeout;
		}

		/**
		 * Name of the entry, to pick the ones a customizer changes.
		 * @return the name
		 */
		public String name() {
			return this.settings.name;
		}

		/**
		 * The Unix-domain socket where clients meet the server.
		 * @return the value
		 */
		public Path path() {
			return this.settings.path;
		}

		/**
		 * Bytes of each of a connection's two rings.
		 * @return the value
		 */
		public int ringCapacity() {
			return this.ringCapacity;
		}

		/**
		 * Set the bytes of each of a connection's two rings.
		 * @param ringCapacity a power of two from 4096 to 1GB
		 * @return this builder
		 */
		public Builder ringCapacity(int ringCapacity) {
			this.ringCapacity = ringCapacity;
			return this;
		}

		/**
		 * How many times a waiting side looks at its ring before it sleeps.
		 * @return the value
		 */
		public int spin() {
			return this.spin;
		}

		/**
		 * Set how many times a waiting side looks at its ring before it sleeps.
		 * @param spin 0 or more; 0 sleeps at once
		 * @return this builder
		 */
		public Builder spin(int spin) {
			this.spin = spin;
			return this;
		}

		/**
		 * Largest message in bytes.
		 * @return the value
		 */
		public int maxMessageSize() {
			return this.maxMessageSize;
		}

		/**
		 * Set the largest message in bytes, in either direction.
		 * @param maxMessageSize 1 to 2047MB
		 * @return this builder
		 */
		public Builder maxMessageSize(int maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
			return this;
		}

		/**
		 * Most connections open at once.
		 * @return the value
		 */
		public int maxConnections() {
			return this.maxConnections;
		}

		/**
		 * Set the most connections open at once.
		 * @param maxConnections 1 or more
		 * @return this builder
		 */
		public Builder maxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
			return this;
		}

		/**
		 * The uids admitted; empty for any the socket file's mode lets in.
		 * @return the value
		 */
		public Set<Integer> allowedUids() {
			return this.allowedUids;
		}

		/**
		 * Set the uids admitted.
		 * @param allowedUids the uids; empty for any the socket file's mode lets in
		 * @return this builder
		 */
		public Builder allowedUids(Set<Integer> allowedUids) {
			this.allowedUids = Objects.requireNonNull(allowedUids, "allowedUids");
			return this;
		}

		/**
		 * How long a sender waits for a peer that takes nothing.
		 * @return the value
		 */
		public Duration writeTimeout() {
			return this.writeTimeout;
		}

		/**
		 * Set how long a sender waits for a peer that takes nothing.
		 * @param writeTimeout a positive duration
		 * @return this builder
		 */
		public Builder writeTimeout(Duration writeTimeout) {
			this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
			return this;
		}

		/**
		 * New settings from the values of this builder, checked as the properties are.
		 * @return the settings
		 * @throws IllegalArgumentException if {@code ringCapacity} is not a power of two
		 * from 4096 to 1GB, {@code spin} is negative, a size or count is not positive or
		 * {@code writeTimeout} is not positive
		 */
		public ShmServerSettings build() {
			if (this.ringCapacity < 4096 || this.ringCapacity > (1 << 30) || Integer.bitCount(this.ringCapacity) != 1) {
				throw new IllegalArgumentException(
						"ringCapacity must be a power of two from 4096 to 1GB, was " + this.ringCapacity);
			}
			if (this.spin < 0) {
				throw new IllegalArgumentException("spin must be 0 or positive, was " + this.spin);
			}
			if (this.maxMessageSize <= 0 || this.maxMessageSize > Integer.MAX_VALUE - 8) {
				throw new IllegalArgumentException(
						"maxMessageSize must be between 1 and 2047MB, was " + this.maxMessageSize);
			}
			if (this.maxConnections <= 0) {
				throw new IllegalArgumentException("maxConnections must be positive, was " + this.maxConnections);
			}
			if (this.writeTimeout.isNegative() || this.writeTimeout.isZero()) {
				throw new IllegalArgumentException("writeTimeout must be positive, was " + this.writeTimeout);
			}
			ShmServerSettings from = this.settings;
			return new ShmServerSettings(from.name, from.path, this.ringCapacity, this.spin, this.maxMessageSize,
					this.maxConnections, Set.copyOf(this.allowedUids), this.writeTimeout);
		}

	}

}
