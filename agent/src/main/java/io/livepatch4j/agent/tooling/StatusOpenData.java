package io.livepatch4j.agent.tooling;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/**
 * {@link Status} as JMX open data, so jconsole and JMC show it as a tree with no agent classes on
 * their side: each record is a CompositeData whose items are its components (the same keys as the
 * JSON status), a list is an array (of strings, or of CompositeData), a map of state versions is a
 * TabularData. The types come from the record classes, so they are the same whatever the values.
 */
final class StatusOpenData {

    static final CompositeType TYPE = (CompositeType) openType(Status.class);

    private StatusOpenData() {}

    static CompositeData of(Status status) {
        return (CompositeData) value(status, TYPE);
    }

    private static OpenType<?> openType(Type type) {
        try {
            if (type == long.class || type == Long.class) {
                return SimpleType.LONG;
            } else if (type == int.class || type == Integer.class) {
                return SimpleType.INTEGER;
            } else if (type == double.class || type == Double.class) {
                return SimpleType.DOUBLE;
            } else if (type == boolean.class || type == Boolean.class) {
                return SimpleType.BOOLEAN;
            } else if (type == String.class) {
                return SimpleType.STRING;
            } else if (type instanceof Class<?> c && c.isRecord()) {
                RecordComponent[] parts = c.getRecordComponents();
                String[] names = new String[parts.length];
                OpenType<?>[] types = new OpenType<?>[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    names[i] = parts[i].getName();
                    types[i] = openType(parts[i].getGenericType());
                }
                String[] descriptions = new String[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    descriptions[i] = words(names[i]);
                }
                return new CompositeType(c.getSimpleName(), words(c.getSimpleName()), names, descriptions, types);
            } else if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
                OpenType<?> element = openType(p.getActualTypeArguments()[0]);
                return element instanceof SimpleType<?> s ? new ArrayType<>(s, false) : ArrayType.getArrayType(element);
            } else if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
                CompositeType row = new CompositeType("entry", "key and value", new String[] {"key", "value"},
                    new String[] {"key", "value"},
                    new OpenType<?>[] {openType(p.getActualTypeArguments()[0]), openType(p.getActualTypeArguments()[1])});
                return new TabularType("map", "keys and values", row, new String[] {"key"});
            }
        } catch (OpenDataException e) {
            throw new IllegalStateException("status type " + type + " has no JMX open type: " + e.getMessage(), e);
        }
        throw new IllegalStateException("status type " + type + " has no JMX open type; add it to StatusOpenData");
    }

    private static Object value(Object v, OpenType<?> type) {
        if (v == null) {
            return null;
        }
        try {
            if (type instanceof CompositeType ct) {
                RecordComponent[] parts = v.getClass().getRecordComponents();
                String[] names = new String[parts.length];
                Object[] values = new Object[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    names[i] = parts[i].getName();
                    values[i] = value(parts[i].getAccessor().invoke(v), ct.getType(names[i]));
                }
                return new CompositeDataSupport(ct, names, values);
            } else if (type instanceof ArrayType<?> at) {
                List<?> list = (List<?>) v;
                if (at.getElementOpenType() instanceof CompositeType element) {
                    CompositeData[] out = new CompositeData[list.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = (CompositeData) value(list.get(i), element);
                    }
                    return out;
                }
                return list.toArray(new String[0]);
            } else if (type instanceof TabularType tt) {
                TabularDataSupport table = new TabularDataSupport(tt);
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    table.put(new CompositeDataSupport(tt.getRowType(), new String[] {"key", "value"},
                        new Object[] {e.getKey(), e.getValue()}));
                }
                return table;
            }
            return v;
        } catch (OpenDataException | ReflectiveOperationException e) {
            throw new IllegalStateException("status value " + v + " does not fit its JMX open type " + type, e);
        }
    }

    /** "currentGeneration" becomes "current generation". */
    private static String words(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }
}
