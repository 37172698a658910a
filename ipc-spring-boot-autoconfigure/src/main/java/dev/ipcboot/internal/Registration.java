package dev.ipcboot.internal;

import org.jspecify.annotations.Nullable;

/**
 * The one implementation of an accessor in an {@code internal} package, which a public
 * type registers from its static initializer so that the machinery of that package can
 * reach what the public type keeps package-private (the JDK's "shared secrets" pattern,
 * ADR 0019).
 *
 * @param <T> the accessor type
 */
public final class Registration<T> {

	private final Class<?> owner;

	private volatile @Nullable T implementation;

	/**
	 * Create an empty registration.
	 * @param owner the public type that registers the implementation; {@link #get()}
	 * initializes it if nothing is registered yet
	 */
	public Registration(Class<?> owner) {
		this.owner = owner;
	}

	/**
	 * Register the implementation; called once, by the owner.
	 * @param implementation the implementation
	 * @throws IllegalStateException if one is registered already
	 */
	public synchronized void set(T implementation) {
		if (this.implementation != null) {
			throw new IllegalStateException(this.owner.getName() + " has registered its accessor already");
		}
		this.implementation = implementation;
	}

	/**
	 * The implementation, initializing the owner first if it has not registered yet.
	 * @return the implementation
	 * @throws IllegalStateException if the owner registers none
	 */
	public T get() {
		T registered = this.implementation;
		if (registered == null) {
			try {
				Class.forName(this.owner.getName(), true, this.owner.getClassLoader());
			}
			catch (ClassNotFoundException ex) {
				throw new IllegalStateException(ex);
			}
			registered = this.implementation;
		}
		if (registered == null) {
			throw new IllegalStateException(this.owner.getName() + " registers no accessor");
		}
		return registered;
	}

}
