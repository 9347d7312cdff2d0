from shippo_client import Shippo


with Shippo(
    api_key_header="<YOUR_API_KEY_HERE>",
    shippo_api_version="2018-02-08",
) as s_client:

    res = s_client.tracking_status.get(tracking_number="<value>", carrier="<value>")

    assert res is not None

    # Handle response
    print(res)

