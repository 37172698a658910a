package dev.ipcboot.dbus;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.Error;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.MethodCall;
import org.jspecify.annotations.Nullable;

/**
 * A method call whose reply completes a future instead of waking a waiting thread: no
 * thread waits while it is pending. dbus-java hands every reply (and every failure to
 * send) to {@link #setReply}, on its reading thread; the caller's future is completed on
 * a thread of the connection, so that what the application chains on it never holds up
 * the reading of replies.
 */
final class AsyncCall extends MethodCall {

	private final CompletableFuture<Message> reply = new CompletableFuture<>();

	private AsyncCall(byte endianness, @Nullable String destination, String path, String interfaceName, String member,
			byte flags, @Nullable String signature, Object... args) throws DBusException {
		super(endianness, destination, path, interfaceName, member, flags, signature, args);
	}

	/**
	 * Build a call on a connection, without sending it.
	 * @throws DBusException if the arguments do not fit the signature
	 */
	static AsyncCall create(DBusConnection connection, @Nullable String destination, String path, String interfaceName,
			String member, byte flags, @Nullable String signature, Object... args) throws DBusException {
		return new AsyncCall(connection.getMessageFactory().getEndianess(), destination, path, interfaceName, member,
				flags, signature, args);
	}

	@Override
	public void setReply(Message reply) {
		super.setReply(reply);
		this.reply.complete(reply);
	}

	/**
	 * Send the call and complete a future with the converted reply.
	 * @param connection the connection to send on
	 * @param completions where the future is completed
	 * @param timeout how long to wait for the reply
	 * @param description describes the call for exceptions; only called on failure
	 * @param convert turns the reply into the result; it may throw a
	 * {@link DBusCallException}
	 * @return the future: it fails with {@link DBusCallException} for an error reply and
	 * {@link DBusCallTimeoutException} without a reply in time
	 */
	<T> CompletableFuture<T> send(DBusConnection connection, Executor completions, Duration timeout,
			Supplier<String> description, Function<Message, T> convert) {
		CompletableFuture<T> result = new CompletableFuture<>();
		this.reply.orTimeout(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
			.whenComplete((message, failure) -> {
				Runnable completion = () -> complete(result, message, failure, timeout, description, convert);
				try {
					completions.execute(completion);
				}
				catch (RejectedExecutionException ex) {
					// the connection is closing: complete here rather than never
					completion.run();
				}
			});
		connection.sendMessage(this);
		return result;
	}

	private static <T> void complete(CompletableFuture<T> result, @Nullable Message message,
			@Nullable Throwable failure, Duration timeout, Supplier<String> description, Function<Message, T> convert) {
		if (failure != null) {
			Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
			result.completeExceptionally((cause instanceof TimeoutException)
					? new DBusCallTimeoutException(description.get(), timeout) : cause);
			return;
		}
		if (message instanceof Error error) {
			result.completeExceptionally(Replies.toException(error, description.get()));
			return;
		}
		try {
			result.complete(convert.apply(message));
		}
		catch (RuntimeException ex) {
			result.completeExceptionally(ex);
		}
	}

}
