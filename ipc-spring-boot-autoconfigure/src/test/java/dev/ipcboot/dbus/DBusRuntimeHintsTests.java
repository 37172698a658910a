package dev.ipcboot.dbus;

import java.util.List;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.base.AbstractConnectionBase;
import org.freedesktop.dbus.connections.base.ReceivingService;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints a native image needs for dbus-java: an exported bean's interfaces (methods,
 * the export proxy, signals, structs), remote proxies of interfaces declared in a bean
 * class, and the bus's own interfaces.
 */
class DBusRuntimeHintsTests {

	@Test
	void exportedBeanGetsItsInterfaceMethodsProxySignalConstructorAndRemoteProxy() throws Exception {
		RuntimeHints hints = process(DeskBean.class);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Desk.class, "PlaceOrder")).accepts(hints);
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(DBusRuntimeHints.exportedInterfaces(DeskBean.class)))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(Desk.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(Desk.OrderPlaced.class.getConstructor(String.class, String.class, int.class)))
			.accepts(hints);
	}

	@Test
	void interfaceDeclaredInABeanClassGetsARemoteProxyAndItsStructs() throws Exception {
		RuntimeHints hints = process(Caller.class);
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(Caller.Remote.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Caller.Remote.class, "Points"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(Point.class.getConstructor(int.class, int.class))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(Point.class, "x")).accepts(hints);
	}

	@Test
	void beanWithoutDBusInterfacesContributesNothing() {
		RegisteredBean bean = register(String.class);
		assertThat(new DBusExportAotProcessor().processAheadOfTime(bean)).isNull();
	}

	@Test
	void busInterfacesAndTransportProvidersAreRegistered() {
		RuntimeHints hints = new RuntimeHints();
		new DBusRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.proxies().forInterfaces(DBus.class)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(DBus.NameOwnerChanged.class.getConstructors()[0])).accepts(hints);
		assertThat(RuntimeHintsPredicates.resource()
			.forResource("META-INF/services/org.freedesktop.dbus.spi.message.ISocketProvider")).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(org.springframework.aot.hint.TypeReference.of(DBusRuntimeHints.SERVICE_PROVIDERS[0])))
			.accepts(hints);
	}

	@Test
	void dbusJavaMembersTheStarterReachesByReflectionAreRegistered() {
		RuntimeHints hints = new RuntimeHints();
		new DBusRuntimeHints().registerHints(hints, getClass().getClassLoader());
		for (String method : new String[] { "internalDisconnect", "doWithExportedObjects", "getReceivingService" }) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(AbstractConnectionBase.class, method))
				.as(method)
				.accepts(hints);
		}
		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(ReceivingService.class, "executors"))
			.accepts(hints);
	}

	private static RuntimeHints process(Class<?> beanClass) {
		BeanRegistrationAotContribution contribution = new DBusExportAotProcessor()
			.processAheadOfTime(register(beanClass));
		assertThat(contribution).isNotNull();
		DefaultGenerationContext context = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Test")), new InMemoryGeneratedFiles());
		contribution.applyTo(context, null);
		return context.getRuntimeHints();
	}

	private static RegisteredBean register(Class<?> beanClass) {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("bean", new RootBeanDefinition(beanClass));
		return RegisteredBean.of(beanFactory, "bean");
	}

	/** A struct passed by a remote interface. */
	public static class Point extends Struct {

		@Position(0)
		public final int x;

		@Position(1)
		public final int y;

		public Point(int x, int y) {
			this.x = x;
			this.y = y;
		}

	}

	/** A bean that calls a remote object through an interface it declares. */
	static class Caller {

		@DBusInterfaceName("dev.ipcboot.test.Remote")
		interface Remote extends DBusInterface {

			List<Point> Points();

		}

	}

}
