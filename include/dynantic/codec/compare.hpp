#pragma once
/** @file
    Equality of DynamoDB items and AttributeValues as DynamoDB stores them: numbers (N, and the
    elements of NS) compare by value ("10.50" equals "10.5", which is how DynamoDB returns it),
    sets (SS, NS, BS) compare as sets whatever their order, maps by their members, lists in
    order, strings and binaries byte for byte. The client uses it to recognise its own write in
    the item a resent conditional write returns (see `WriteOutcomeUnknownError`).

    @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html */

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace dynantic {

/** True when `a` and `b` are the same AttributeValue (`{"S": "x"}`, `{"N": "1"}`, ...) as
    DynamoDB stores it. Anything that is not an AttributeValue compares as JSON. */
bool same_attribute_value(const boost::json::value& a, const boost::json::value& b);

/** True when two items (attribute name -> AttributeValue) hold the same attributes with the
    same values (`same_attribute_value`). */
bool same_item(const boost::json::object& a, const boost::json::object& b);

}  // namespace dynantic
