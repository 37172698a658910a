package dev.ipcboot.listener;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that receives the messages of one or more channels: socket servers
 * ({@code ipc.servers}), D-Bus signal subscriptions ({@code ipc.dbus.signals}) and
 * managed processes' output ({@code ipc.processes}).
 * <p>
 * Parameters are resolved as for Spring messaging handler methods: the payload as
 * {@code byte[]}, {@code String} (UTF-8) or any object (JSON through the application's
 * JSON mapper), {@code Message<?>}, and {@code @Header} values named in
 * {@link IpcHeaders}. The return value is the reply ({@code void} means none; a
 * {@code CompletableFuture} replies when it completes).
 * <p>
 * A {@link java.nio.ByteBuffer} payload is read-only and <em>borrowed</em>: on a
 * length-prefixed socket server it is a view of a buffer that the connection reuses for
 * its next frame, so it is valid only until the method returns; copy it to keep it or to
 * use it on another thread. A method returning a {@code CompletionStage} is given a view
 * of a copy of its own instead (see {@link IpcMessageListener#borrowsPayload()}).
 * <p>
 * A channel name that no configuration defines fails start-up with a message that names
 * the method and lists the known channels.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface IpcListener {

	/**
	 * Names of the channels to listen to; {@code ${...}} placeholders are resolved.
	 * @return the channel names
	 */
	String[] value();

}
