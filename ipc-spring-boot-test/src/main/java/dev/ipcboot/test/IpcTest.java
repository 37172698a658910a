package dev.ipcboot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.test.annotation.DirtiesContext;

/**
 * Gives a test class its own IPC resources, as properties the application's configuration
 * can use:
 * <ul>
 * <li>{@code ipc.test.dir}: a new owner-only directory for socket files, deleted after
 * the class ({@code path: ${ipc.test.dir}/orders.sock});</li>
 * <li>{@code ipc.test.id}: a name no other test run uses, for shared-memory and semaphore
 * keys and D-Bus service names ({@code key: ${ipc.test.id}-frames});</li>
 * <li>{@code ipc.test.bus-address}: with {@code bus = true}, the address of a
 * {@code dbus-daemon} started for the class and stopped after it ({@code ipc.dbus.bus:
 * ${ipc.test.bus-address}}).</li>
 * </ul>
 * The properties are system properties while the class runs (restored afterwards), so
 * {@code @SpringBootTest} and {@code SpringApplication.run} see them alike; test methods
 * and {@code @BeforeAll} methods may declare an {@link IpcTestResources} parameter. An
 * application context of the class is closed after it ({@link DirtiesContext}), before
 * the directory and bus go away. Test classes must not run in parallel with each other.
 * <p>
 * Fails the class, naming the tool, when {@code bus = true} and {@code dbus-daemon} is
 * not installed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(IpcTestExtension.class)
@DirtiesContext
public @interface IpcTest {

	/**
	 * Whether to start a private {@code dbus-daemon} for the test class.
	 * @return whether to start one
	 */
	boolean bus() default false;

}
