package dev.ipcboot.internal;

/**
 * One running listener invocation or client request, started by
 * {@link IpcInvocationMetrics#start}. Exactly one of the two methods is called, once.
 */
public interface IpcInvocation {

	/** Does nothing. */
	IpcInvocation NONE = new IpcInvocation() {

		@Override
		public void success() {
		}

		@Override
		public void failure(Throwable error) {
		}

	};

	/**
	 * The invocation completed (for an asynchronous listener: its future completed).
	 */
	void success();

	/**
	 * The invocation failed.
	 * @param error the failure
	 */
	void failure(Throwable error);

	/**
	 * Make this invocation current on the calling thread until the scope is closed, so
	 * that tracing spans started by the listener nest under it. Close it on the same
	 * thread, before {@link #success()} or {@link #failure(Throwable)}.
	 * @return the scope to close
	 */
	default Scope openScope() {
		return Scope.NONE;
	}

	/**
	 * The thread-local scope of an invocation, closed with try-with-resources.
	 */
	interface Scope extends AutoCloseable {

		/** Does nothing. */
		Scope NONE = () -> {
		};

		/**
		 * End the scope; never throws.
		 */
		@Override
		void close();

	}

}
