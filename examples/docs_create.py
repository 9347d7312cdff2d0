from shippo_client import Shippo


with Shippo(
    api_key_header="<YOUR_API_KEY_HERE>",
    shippo_api_version="2018-02-08",
) as s_client:

    res = s_client.tracking_status.create(request={
        "carrier": "usps",
        "tracking_number": "9205590164917312751089",
        "metadata": "Order 000123",
    })

    assert res is not None

    # Handle response
    print(res)

