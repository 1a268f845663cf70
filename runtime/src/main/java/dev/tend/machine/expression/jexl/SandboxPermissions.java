package dev.tend.machine.expression.jexl;

import org.apache.commons.jexl3.introspection.JexlPermissions;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * What JEXL may reach by reflection: the methods of {@link FunctionCalls} (every function call) and of
 * {@link ExprArithmetic} (its operators), nothing else. Field and index access go through the arithmetic, which knows
 * only maps, lists and strings, and the translation never writes a method call, {@code new}, a loop or an assignment;
 * so an expression in a machine file cannot reach any other Java class.
 */
final class SandboxPermissions implements JexlPermissions {

    @Override
    public boolean allow(Package pack) {
        return pack != null && pack.getName().equals(SandboxPermissions.class.getPackageName());
    }

    @Override
    public boolean allow(Class<?> clazz) {
        return clazz == FunctionCalls.class || clazz == ExprArithmetic.class;
    }

    @Override
    public boolean allow(Constructor<?> constructor) {
        return false;
    }

    @Override
    public boolean allow(Method method) {
        return allow(method.getDeclaringClass()) || method.getDeclaringClass() == org.apache.commons.jexl3.JexlArithmetic.class;
    }

    @Override
    public boolean allow(Field field) {
        return false;
    }

    @Override
    public JexlPermissions compose(String... src) {
        return this;
    }
}
